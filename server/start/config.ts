/**
 * Settings come from the environment only (see the settings table in docs/configuration.md).
 * Parsing fails fast with a message that names the variable and the fix.
 */
import { isIP } from 'node:net';
import { POOL_DEFAULTS } from '../../db/connect.ts';

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
  /** Seconds without a touch or key before a counter tablet's form asks "Still there?" and then clears itself (KIOSK_IDLE_SECONDS). */
  kioskIdleSeconds: number;
  /**
   * Which peers may say, in X-Forwarded-For, whose request they pass on: a list of addresses and
   * subnets in Express's trust-proxy syntax (the safe form), or a hop count (0: nobody).
   */
  trustProxy: number | string[];
  logLevel: string;
  /** Below this many responses a verdict is "too few responses" (MIN_RESPONSES). */
  minResponses: number;
  /**
   * Below this many respondents /cong-khai publishes no figure for a group (PUBLIC_MIN_RESPONSES): a
   * disclosure rule, kept apart from the verdict's minimum so that one can change without the other.
   */
  publicMinResponses: number;
  /**
   * Where alert emails and the weekly digest are sent from (SMTP_URL, e.g. smtp://user:pass@mail.nghean.gov.vn:587
   * or smtps://...:465); undefined: email is off, alerts are still shown in the app.
   */
  smtpUrl: string | undefined;
  /** The From: of those emails (MAIL_FROM). */
  mailFrom: string;
  /** At most one immediate alert email per recipient in this many minutes (ALERT_EMAIL_MIN_MINUTES); later alerts wait for the next. */
  alertEmailMinMinutes: number;
  /**
   * Webhooks may be sent to this server's own addresses (loopback, link-local: WEBHOOK_ALLOW_LOOPBACK=1);
   * off by default, so a manager cannot point one at the server's internal services (server/alerts/webhook-address.ts).
   */
  webhookAllowLoopback: boolean;
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

/** Express's names for address ranges, beside plain addresses and subnets. */
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrSubnet(item: string): boolean {
  if (NAMED_RANGES.includes(item) || isIP(item) !== 0) return true;
  const slash = item.indexOf('/');
  if (slash < 0) return false;
  const version = isIP(item.slice(0, slash));
  const bits = item.slice(slash + 1);
  return version !== 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: the reverse proxy's addresses (`127.0.0.1`, `10.0.0.2,10.0.0.3`, `10.0.0.0/24`,
 * `loopback`), so that only the proxy may name the client; or, as before, a hop count, which trusts
 * whatever X-Forwarded-For says when a client reaches the app directly.
 */
function trustProxy(env: NodeJS.ProcessEnv): number | string[] {
  const raw = env.TRUST_PROXY?.trim() ?? '';
  if (raw === '' || /^\d+$/.test(raw)) return integer(env, 'TRUST_PROXY', 0, 0, 10);
  const example = 'e.g. TRUST_PROXY=127.0.0.1 for nginx on this machine, or TRUST_PROXY=10.0.0.2,10.0.0.3 for the proxies\' addresses';
  if (raw === 'true') {
    throw new ConfigError(`TRUST_PROXY=true tin mọi máy gửi tới / trusts every client to name its own address: list the proxy's addresses instead, ${example}.`);
  }
  const items = raw.split(',').map((i) => i.trim()).filter(Boolean);
  const bad = items.find((i) => !isAddressOrSubnet(i));
  if (bad !== undefined || items.length === 0) {
    throw new ConfigError(
      `TRUST_PROXY=${raw} không hợp lệ / is not valid: "${bad ?? ''}" is neither an address, a subnet (10.0.0.0/24) nor one of ${NAMED_RANGES.join(', ')}; ${example}.`,
    );
  }
  return items;
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
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl !== undefined && (!/^smtps?:\/\/[^/]/.test(smtpUrl) || !URL.canParse(smtpUrl))) {
    throw new ConfigError(
      `SMTP_URL không hợp lệ / is not valid: use smtp://user:password@mail.example.gov.vn:587 (STARTTLS) or smtps://user:password@mail.example.gov.vn:465, with the password URL-encoded; or leave it unset to turn email off.`,
    );
  }
  const mailFrom = env.MAIL_FROM?.trim() || `SIPAS Nghệ An <no-reply@${new URL(baseUrl).hostname}>`;
  if (!/@[^@\s>]+>?$/.test(mailFrom)) {
    throw new ConfigError(`MAIL_FROM=${mailFrom} không phải địa chỉ email / is not an email address: use e.g. MAIL_FROM="SIPAS Nghệ An <khaosat@nghean.gov.vn>".`);
  }
  const allowLoopback = env.WEBHOOK_ALLOW_LOOPBACK?.trim() ?? '';
  if (!['', '0', '1'].includes(allowLoopback)) {
    throw new ConfigError(`WEBHOOK_ALLOW_LOOPBACK=${allowLoopback} không hợp lệ / is not valid: use 1 (allow webhooks to this server's own addresses) or 0 / unset (refuse them).`);
  }
  return {
    smtpUrl,
    webhookAllowLoopback: allowLoopback === '1',
    mailFrom,
    alertEmailMinMinutes: integer(env, 'ALERT_EMAIL_MIN_MINUTES', 360, 0, 7 * 24 * 60),
    databaseUrl: env.DATABASE_URL?.trim() || 'sqlite:./data/sipas.db',
    port,
    host,
    baseUrl,
    secret,
    surveyMinSeconds: integer(env, 'SURVEY_MIN_SECONDS', 3, 0, 3600),
    surveyRateLimit: integer(env, 'SURVEY_RATE_LIMIT', 30, 1, 10_000),
    surveyFormLimit: integer(env, 'SURVEY_FORM_LIMIT', 60, 1, 10_000),
    surveyFormTtlMinutes: integer(env, 'SURVEY_FORM_TTL_MINUTES', 120, 5, 24 * 60),
    kioskIdleSeconds: integer(env, 'KIOSK_IDLE_SECONDS', 90, 3, 3600),
    trustProxy: trustProxy(env),
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    minResponses: integer(env, 'MIN_RESPONSES', 30, 1, 100_000),
    publicMinResponses: integer(env, 'PUBLIC_MIN_RESPONSES', 30, 1, 100_000),
    database: {
      poolMax: integer(env, 'DATABASE_POOL_MAX', POOL_DEFAULTS.poolMax, 1, 1000),
      connectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', POOL_DEFAULTS.connectTimeoutMs, 100, 600_000),
      statementTimeoutMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', POOL_DEFAULTS.statementTimeoutMs, 100, 3_600_000),
      busyTimeoutMs: integer(env, 'DATABASE_BUSY_TIMEOUT_MS', POOL_DEFAULTS.busyTimeoutMs, 0, 60_000),
    },
  };
}
