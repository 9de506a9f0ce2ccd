/**
 * The bare baselines `npm run bench` compares the application with, each run as its own process:
 *   flow PORT FILE   GET /form renders a small form with a single-use token; POST /form checks the
 *                    token, inserts one row into SQLite with the application's durability (WAL,
 *                    synchronous=FULL) and answers 303: the least any survey server must do.
 *   flow-pg PORT URL the same on PostgreSQL (DATABASE URL): one INSERT per POST through a pg pool of 10,
 *                    with the server's durability (synchronous_commit on in the bench's server).
 *   page PORT FILE   GET /page sends the HTML in FILE (the application's own survey page) with the
 *                    same compression middleware: the least any page server must do.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import compression from 'compression';
import express from 'express';
import pg from 'pg';

const [mode, portArg, file] = process.argv.slice(2);
const port = Number(portArg);
const app = express();

/** The form and its single-use tokens, whatever stores the answers. */
function formRoutes(store: (token: string, answers: string, at: string) => Promise<void> | void): void {
  const open = new Set<string>();
  app.use(express.urlencoded({ extended: false }));
  app.get('/form', (_req, res) => {
    const token = randomBytes(16).toString('base64url');
    open.add(token);
    res.send(`<!doctype html><html lang="vi"><title>Khảo sát</title><form method="post" action="/form"><input type="hidden" name="ft" value="${token}">` +
      ['a', 'b', 'c', 'd', 'e', 'overall'].map((k) => `<fieldset><legend>${k}</legend>${[1, 2, 3, 4, 5].map((v) => `<label><input type="radio" name="${k}" value="${v}">${v}</label>`).join('')}</fieldset>`).join('') +
      '<button>Gửi</button></form></html>');
  });
  app.post('/form', (req, res) => {
    const body = req.body as Record<string, string>;
    const token = body.ft ?? '';
    if (!open.delete(token)) return res.status(400).send('bad token');
    const stored = store(token, JSON.stringify(body), new Date().toISOString());
    // SQLite's insert is synchronous: answered at once, as before the PostgreSQL baseline existed.
    if (!stored) return res.redirect(303, '/thanks');
    stored.then(
      () => res.redirect(303, '/thanks'),
      (error: unknown) => res.status(500).send(String(error)),
    );
  });
}

if (mode === 'flow' && file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS r (id INTEGER PRIMARY KEY, token TEXT UNIQUE, answers TEXT, at TEXT)');
  const insert = db.prepare('INSERT INTO r (token, answers, at) VALUES (?, ?, ?)');
  formRoutes((token, answers, at) => {
    insert.run(token, answers, at);
  });
} else if (mode === 'flow-pg' && file) {
  const pool = new pg.Pool({ connectionString: file, max: 10 });
  await pool.query('CREATE TABLE IF NOT EXISTS r (id serial PRIMARY KEY, token text UNIQUE, answers text, at text)');
  formRoutes(async (token, answers, at) => {
    await pool.query('INSERT INTO r (token, answers, at) VALUES ($1, $2, $3)', [token, answers, at]);
  });
} else if (mode === 'page' && file) {
  const html = readFileSync(file, 'utf8');
  app.use(compression());
  app.get('/page', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('html').send(html);
  });
} else {
  console.error('usage: bare-server.ts flow|flow-pg|page PORT FILE|URL');
  process.exit(2);
}

app.listen(port, '127.0.0.1', () => console.log(`bare ${mode} listening on ${port}`));
