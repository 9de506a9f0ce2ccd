/**
 * Settings come from the environment only (see the README's settings table).
 * Parsing fails fast with a message that names the variable and the fix.
 */
import { POOL_DEFAULTS } from '../db/connect.ts';

export interface Config {
  databaseUrl: string;
  port: number;
  host: string;
  baseUrl: string;
  /** From SECRET; when unset, main.ts loads or generates one in the database. */
  secret: string | undefined;
  surveyMinSeconds: number;
  /** Forms one client may send to one desk per minute (SURVEY_RATE_LIMIT). */
  surveyRateLimit: number;
  /** Forms one client may open at one desk per minute (SURVEY_FORM_LIMIT). */
  surveyFormLimit: number;
  /** How long an opened form may be sent (SURVEY_FORM_TTL_MINUTES). */
  surveyFormTtlMinutes: number;
  trustProxy: number;
  logLevel: string;
  /** Below this many responses a verdict is "too few responses" (MIN_RESPONSES). */
  minResponses: number;
  /** PostgreSQL pool of each app server; SQLite ignores it. */
  database: { poolMax: number; connectTimeoutMs: number; statementTimeoutMs: number; busyTimeoutMs: number };
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} không hợp lệ / is not valid: expected a whole number from ${min} to ${max}.`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST?.trim() || '0.0.0.0';
  const rawBaseUrl = env.BASE_URL?.trim() || `http://localhost:${port}`;
  const baseUrl = rawBaseUrl.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(baseUrl) || !URL.canParse(baseUrl)) {
    throw new ConfigError(`BASE_URL=${rawBaseUrl} không phải địa chỉ web / is not a web address: use e.g. https://khaosat.nghean.gov.vn`);
  }
  const secret = env.SECRET?.trim() || undefined;
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError('SECRET quá ngắn / is too short: use at least 32 characters (e.g. `openssl rand -hex 32`), or leave it unset to generate one.');
  }
  return {
    databaseUrl: env.DATABASE_URL?.trim() || 'sqlite:./data/sipas.db',
    port,
    host,
    baseUrl,
    secret,
    surveyMinSeconds: integer(env, 'SURVEY_MIN_SECONDS', 3, 0, 3600),
    surveyRateLimit: integer(env, 'SURVEY_RATE_LIMIT', 30, 1, 10_000),
    surveyFormLimit: integer(env, 'SURVEY_FORM_LIMIT', 60, 1, 10_000),
    surveyFormTtlMinutes: integer(env, 'SURVEY_FORM_TTL_MINUTES', 120, 5, 24 * 60),
    trustProxy: integer(env, 'TRUST_PROXY', 0, 0, 10),
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    minResponses: integer(env, 'MIN_RESPONSES', 30, 1, 100_000),
    database: {
      poolMax: integer(env, 'DATABASE_POOL_MAX', POOL_DEFAULTS.poolMax, 1, 1000),
      connectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', POOL_DEFAULTS.connectTimeoutMs, 100, 600_000),
      statementTimeoutMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', POOL_DEFAULTS.statementTimeoutMs, 100, 3_600_000),
      busyTimeoutMs: integer(env, 'DATABASE_BUSY_TIMEOUT_MS', POOL_DEFAULTS.busyTimeoutMs, 0, 60_000),
    },
  };
}
