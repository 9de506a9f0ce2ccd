/**
 * Staff forms' bodies. Every staff route gets ordinary (urlencoded) forms, small, parsed once before
 * the CSRF check that needs their `_csrf` field. Multipart bodies (a file upload) are read only by
 * the routes listed in UPLOAD_PATHS, by `uploadBody` placed after the route's own permission check,
 * which then checks the CSRF token from the parsed fields: a visitor who is not signed in, or who may
 * not use the route, is refused before a byte of the upload is read.
 */
import express, { type Request, type RequestHandler } from 'express';
import multer from 'multer';
import { renderError } from './render.ts';

/** The largest staff form (a questionnaire of 22 questions in two languages) is a few kilobytes. */
export const FORM_LIMIT = '256kb';
export const FORM_FIELDS = 1000;
/** A CSV of every unit of a province is about 10 kB. */
export const UPLOAD_LIMIT_BYTES = 2 * 1024 * 1024;
/**
 * A month of a province's dossier counts (day x desk x field x channel) is a few megabytes; the
 * whole upload is held in memory while it is checked, so larger files go through `sipas dossiers
 * import` (server/dossiers/counts-file.ts, DOSSIER_FILE_MAX_BYTES).
 */
export const DOSSIER_UPLOAD_LIMIT_BYTES = 16 * 1024 * 1024;
/** An upload form has its `_csrf` token and the file: nothing else. */
export const UPLOAD_FIELDS = 5;
export const UPLOAD_FIELD_BYTES = 1024;

/** The only staff routes (POST) that take a multipart body, with the largest file each takes; each must use `uploadBody`. */
export const UPLOAD_PATHS: ReadonlyMap<string, number> = new Map([
  ['/admin/units/import', UPLOAD_LIMIT_BYTES],
  ['/admin/dossiers', DOSSIER_UPLOAD_LIMIT_BYTES],
]);

const urlencoded = express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: FORM_FIELDS });
const multipartOf = new Map(
  [...UPLOAD_PATHS].map(([path, fileSize]) => [
    path,
    multer({
      storage: multer.memoryStorage(),
      limits: { fileSize, files: 1, fields: UPLOAD_FIELDS, fieldSize: UPLOAD_FIELD_BYTES, fieldNameSize: 100, parts: UPLOAD_FIELDS + 1, headerPairs: 20 },
    }).single('file'),
  ]),
);

const isMultipart = (req: Request) => typeof req.is('multipart/form-data') === 'string';

/** A multipart POST to an upload route: left unread here, and its CSRF token is checked by `uploadBody`. */
export const isUpload = (req: Request) => req.method === 'POST' && UPLOAD_PATHS.has(req.path) && isMultipart(req);

/** For every staff route, after the session and the staff member are known. */
export const staffBody: RequestHandler = (req, res, next) => {
  if (isMultipart(req)) {
    // Refused here or by the upload route's permission check, nothing of the body is read; the
    // connection is closed once the answer is sent, rather than kept open behind the unread body.
    res.set('Connection', 'close');
    if (!res.locals.staff) renderError(res, 403, 'error.403.title', 'error.csrf');
    else if (!isUpload(req)) renderError(res, 400);
    else next();
    return;
  }
  urlencoded(req, res, next);
};

/** The staff-wide CSRF check, except for an upload, whose token is inside the body `uploadBody` reads. */
export function csrfUnlessUpload(guard: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (isUpload(req)) next();
    else guard(req, res, next);
  };
}

/**
 * On an upload route, after its permission check: reads the multipart body (one file in the field
 * `file`, limits above, kept in memory), then checks its CSRF token. An urlencoded post to the same
 * route was already checked in front of every staff route.
 */
export function uploadBody(guard: RequestHandler, options: { tooLarge?: RequestHandler } = {}): RequestHandler {
  return (req, res, next) => {
    const multipart = multipartOf.get(req.path);
    if (!isUpload(req) || multipart === undefined) {
      next();
      return;
    }
    multipart(req, res, (error: unknown) => {
      // A route that names its limit in its own page (the file is refused whole, nothing written).
      if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE' && options.tooLarge) {
        options.tooLarge(req, res, next);
        return;
      }
      if (error instanceof multer.MulterError) {
        // Too large or too many parts: the same "too much data" page as any oversize form; a file
        // under another field name is simply a bad request.
        const type =
          error.code === 'LIMIT_UNEXPECTED_FILE' ? 'multipart.unexpected'
          : error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE' ? 'entity.too.large'
          : 'parameters.too.many';
        next(Object.assign(new Error(error.message), { type }));
        return;
      }
      if (error) {
        next(error);
        return;
      }
      guard(req, res, next);
    });
  };
}
