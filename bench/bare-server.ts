/**
 * The bare baselines `npm run bench` compares the application with, each run as its own process:
 *   flow PORT FILE   GET /form renders a small form with a single-use token; POST /form checks the
 *                    token, inserts one row into SQLite with the application's durability (WAL,
 *                    synchronous=FULL) and answers 303: the least any survey server must do.
 *   page PORT FILE   GET /page sends the HTML in FILE (the application's own survey page) with the
 *                    same compression middleware: the least any page server must do.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import compression from 'compression';
import express from 'express';

const [mode, portArg, file] = process.argv.slice(2);
const port = Number(portArg);
const app = express();

if (mode === 'flow' && file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS r (id INTEGER PRIMARY KEY, token TEXT UNIQUE, answers TEXT, at TEXT)');
  const insert = db.prepare('INSERT INTO r (token, answers, at) VALUES (?, ?, ?)');
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
    insert.run(token, JSON.stringify(body), new Date().toISOString());
    res.redirect(303, '/thanks');
  });
} else if (mode === 'page' && file) {
  const html = readFileSync(file, 'utf8');
  app.use(compression());
  app.get('/page', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('html').send(html);
  });
} else {
  console.error('usage: bare-server.ts flow|page PORT FILE');
  process.exit(2);
}

app.listen(port, '127.0.0.1', () => console.log(`bare ${mode} listening on ${port}`));
