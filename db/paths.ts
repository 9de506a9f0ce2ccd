/**
 * Where the project's files are, whether the code runs from its TypeScript sources (tsx: tests, the
 * demo, the command line) or compiled into dist/ (`npm start`, issue 23): the folder holding
 * package.json, found by walking up from this file. Data beside the code (db/seed/*.json, units.csv),
 * the templates (views/) and the static files (public/) are read from there, never copied into dist/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(from: string): string {
  let dir = from;
  for (let i = 0; i < 10; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`package.json not found above ${from}: run the server from the project's folder (or its dist/)`);
}

export const PROJECT_ROOT = findRoot(import.meta.dirname);

/** A path inside the project, e.g. projectPath('db', 'seed', 'units.csv'). */
export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}
