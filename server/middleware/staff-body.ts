/**
 * Staff forms' bodies, parsed once for every staff route (the CSRF check needs the `_csrf` field):
 * ordinary forms, and multipart forms that upload one CSV file (unit import), kept in memory.
 */
import express, { type RequestHandler } from 'express';
import multer from 'multer';

/** The largest staff form (a questionnaire of 22 questions in two languages) is a few kilobytes. */
const FORM_LIMIT = '256kb';
const FORM_FIELDS = 1000;
/** A CSV of every unit of a province is about 10 kB. */
export const UPLOAD_LIMIT_BYTES = 2 * 1024 * 1024;

const urlencoded = express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: FORM_FIELDS });
const multipart = multer({ storage: multer.memoryStorage(), limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 50 } }).single('file');

export const staffBody: RequestHandler = (req, res, next) => {
  if (req.is('multipart/form-data')) {
    multipart(req, res, (error: unknown) => {
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
      next(error);
    });
    return;
  }
  urlencoded(req, res, next);
};
