import type { ParseArgsConfig } from 'node:util';
import { listActiveDesks } from '../../db/queries/desks.ts';
import type { Ready } from '../start/bootstrap.ts';
import type { Config } from '../start/config.ts';
import { deskShortUrl, deskSurveyUrl } from '../tokens/urls.ts';
import { backupDatabase } from './backup.ts';
import { runDemoSeed } from './demo-seed.ts';
import { copyTo } from './copy.ts';
import { addUser, createTokenFor, disableUser, enableUser, readStdin, revokeTokens, tokensOf } from './accounts.ts';
import { addDesk, DESK_USAGE } from './desks.ts';
import { EXPORT_OPTIONS, runExport } from './export.ts';
import { DOSSIERS_USAGE, importDossierFile } from './dossiers.ts';
import { ALERTS_USAGE, runAlertsCommand } from './alerts.ts';

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  config: Config;
  ready: Ready;
  values: OptionValues;
  positionals: string[];
}

export interface Command {
  options: NonNullable<ParseArgsConfig['options']>;
  run(ctx: CommandContext): Promise<void>;
}

export class UsageError extends Error {}

function positiveInt(value: string | boolean | (string | boolean)[] | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 10_000_000) throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a whole number from 0 to 10000000.`);
  return n;
}

export const commands: Record<string, Command> = {
  migrate: {
    options: {},
    run({ ready }) {
      const applied = ready.migrations;
      console.log(applied.length > 0 ? `Đã áp dụng / applied: ${applied.join(', ')}` : 'CSDL đã ở phiên bản mới nhất / database is up to date');
      return Promise.resolve();
    },
  },

  seed: {
    options: { demo: { type: 'boolean' }, responses: { type: 'string' }, months: { type: 'string' } },
    async run({ ready, values }) {
      const s = ready.seeded;
      console.log(`Dữ liệu tham chiếu / reference data: +${s.fields} fields, +${s.questionnaires} questionnaires, +${s.units} units`);
      if (values.demo) {
        await runDemoSeed(ready, positiveInt(values.responses, '--responses', 3000), { months: positiveInt(values.months, '--months', 24) || 24 });
      } else if (values.responses !== undefined || values.months !== undefined) throw new UsageError('--responses and --months go with --demo.');
    },
  },

  desk: {
    options: {
      unit: { type: 'string' },
      code: { type: 'string' },
      name: { type: 'string' },
      fields: { type: 'string' },
      questionnaire: { type: 'string' },
    },
    async run({ config, ready, values, positionals }) {
      if (positionals[0] !== 'add') throw new UsageError(DESK_USAGE);
      const desk = await addDesk(ready.db.kysely, values);
      console.log(`Đã tạo quầy / created desk ${desk.code} "${desk.name}" at ${desk.unit} [${desk.fields.join(', ')}], ${desk.questionnaire}`);
      console.log(deskSurveyUrl(config.baseUrl, ready.secret, desk.id, 1));
    },
  },

  dossiers: {
    options: { check: { type: 'boolean' } },
    async run({ ready, values, positionals }) {
      const file = positionals[1];
      if (positionals[0] !== 'import' || file === undefined || positionals.length > 2) throw new UsageError(DOSSIERS_USAGE);
      await importDossierFile(ready.db.kysely, file, values.check === true);
    },
  },

  alerts: {
    options: { 'dry-run': { type: 'boolean' } },
    async run({ config, ready, values, positionals }) {
      if (positionals[0] !== 'run' || positionals.length > 1) throw new UsageError(ALERTS_USAGE);
      await runAlertsCommand(config, ready, values['dry-run'] === true);
    },
  },

  desks: {
    options: { json: { type: 'boolean' } },
    async run({ config, ready, values }) {
      const desks = (await listActiveDesks(ready.db.kysely)).map((d) => ({
        id: d.id,
        code: d.code,
        name: d.name,
        unit: d.unit,
        fields: d.fields,
        url: deskSurveyUrl(config.baseUrl, ready.secret, d.id, d.tokenVersion),
        // What the poster prints under the QR code for citizens to type (db/short-codes.ts).
        shortUrl: deskShortUrl(config.baseUrl, d.shortCode),
      }));
      if (values.json) {
        console.log(JSON.stringify(desks, null, 2));
        return;
      }
      for (const d of desks) console.log(`${d.unit.name} · ${d.name} [${d.fields.join(', ')}]\n  ${d.url}\n  ${d.shortUrl}`);
      console.log(`${desks.length} quầy đang hoạt động / active desks`);
    },
  },

  user: {
    options: { username: { type: 'string' }, role: { type: 'string' }, unit: { type: 'string' }, name: { type: 'string' } },
    async run({ ready, values, positionals }) {
      const db = ready.db.kysely;
      if (positionals[0] === 'add') {
        const created = await addUser(db, values, await readStdin());
        console.log(`Đã tạo tài khoản / created account ${created.username} (${created.role}${created.unit ? `, ${created.unit}` : ''})`);
      } else if (positionals[0] === 'disable') {
        const { username, ended } = await disableUser(db, values);
        console.log(`Đã khóa tài khoản / disabled ${username}: ${ended.sessions} phiên kết thúc / sessions ended, ${ended.tokens} token thu hồi / tokens revoked`);
      } else if (positionals[0] === 'enable') {
        console.log(`Đã mở khóa tài khoản / enabled ${await enableUser(db, values)}`);
      } else {
        throw new UsageError(
          'usage: user add --username U --role admin|manager|viewer [--unit CODE] [--name "Full name"] (password on stdin)\n' +
            '       user disable --username U | user enable --username U',
        );
      }
    },
  },

  token: {
    options: { username: { type: 'string' }, label: { type: 'string' }, 'expires-days': { type: 'string' }, permission: { type: 'string' }, id: { type: 'string' }, all: { type: 'boolean' } },
    async run({ ready, values, positionals }) {
      const db = ready.db.kysely;
      if (positionals[0] === 'create') {
        const { token, id, expiresAt } = await createTokenFor(db, values);
        console.log(`Token API số / number ${id}, hết hạn / expires ${expiresAt.slice(0, 10)}. Chỉ hiện một lần; gửi trong tiêu đề / shown once; send as header "Authorization: Bearer <token>":`);
        console.log(token);
      } else if (positionals[0] === 'list') {
        const now = new Date().toISOString();
        const tokens = await tokensOf(db, values);
        for (const tk of tokens) {
          const state = tk.revokedAt ? `revoked ${tk.revokedAt.slice(0, 10)}` : tk.expiresAt <= now ? `expired ${tk.expiresAt.slice(0, 10)}` : `valid until ${tk.expiresAt.slice(0, 10)}`;
          console.log(`${tk.id}\t${tk.username}\t${tk.label}\t${tk.permissions}\tcreated ${tk.createdAt.slice(0, 10)}\tlast used ${tk.lastUsedAt?.slice(0, 10) ?? '-'}\t${state}`);
        }
        console.log(`${tokens.length} token API / API tokens`);
      } else if (positionals[0] === 'revoke') {
        const n = await revokeTokens(db, values);
        console.log(`Đã thu hồi / revoked ${n} token API / API tokens`);
      } else {
        throw new UsageError(
          'usage: token create --username U [--label TEXT] [--expires-days N] [--permission links|counts] | token list [--username U] | token revoke --id N | token revoke --username U --all',
        );
      }
    },
  },

  copy: {
    options: { to: { type: 'string' } },
    async run({ config, ready, values }) {
      if (typeof values.to !== 'string' || values.to === '') {
        throw new UsageError('copy needs --to URL, e.g. --to postgres://sipas:password@127.0.0.1:5432/sipas (an empty database)');
      }
      if (values.to === config.databaseUrl) throw new UsageError('--to is the same database as DATABASE_URL; name a new, empty database.');
      await copyTo(ready, config.databaseUrl, values.to);
    },
  },

  export: {
    options: EXPORT_OPTIONS,
    run: ({ config, ready, values, positionals }) => runExport(ready, config, values, positionals),
  },

  backup: {
    options: { to: { type: 'string' } },
    async run({ ready, values }) {
      if (typeof values.to !== 'string' || values.to === '') throw new UsageError('backup needs --to FILE, e.g. --to backups/sipas-2025-06-30.db');
      await backupDatabase(ready.db, values.to);
    },
  },
};
