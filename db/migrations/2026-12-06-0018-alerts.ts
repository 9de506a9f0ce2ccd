/**
 * Alerts and what is done about them (issue 22). Satisfaction is measured so that units act on it:
 * an alert is raised only when the data are sure (server/alerts/rules.ts), stays one row while its
 * condition holds (a partial unique index on its key among alerts not yet closed, so re-evaluating,
 * or two app servers evaluating at once, never opens a second), and closes by itself when the
 * condition no longer holds. Follow-ups record who took it, what was done and by when. Delivery:
 * accounts get an email address, a language and a digest switch; each email sent is logged once per
 * recipient and run (so a digest is sent exactly once even when a run is taken over); webhooks per
 * unit or for the province, each delivery and each try logged; scheduled runs claimed in job_runs
 * (a lease: one app server runs each, another takes over a stale one). Frozen once shipped.
 */
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

function idColumn(db: AnyDb): ['integer' | 'serial', (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return ['serial', (col) => col.primaryKey()];
  return ['integer', (col) => col.primaryKey().autoIncrement()];
}

export async function up(db: AnyDb): Promise<void> {
  const [idType, idDef] = idColumn(db);
  await db.schema.alterTable('users').addColumn('email', 'text').execute();
  // 'vi' | 'en': the language of the emails this account gets.
  await db.schema.alterTable('users').addColumn('lang', 'text', (c) => c.notNull().defaultTo('vi')).execute();
  // 1: gets the weekly digest and immediate alert emails; 0: unsubscribed (the signed link in each email).
  await db.schema.alterTable('users').addColumn('alert_emails', 'integer', (c) => c.notNull().defaultTo(1)).execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', idType, idDef)
    // rule|subject_kind:subject_id: one alert not yet closed per key.
    .addColumn('alert_key', 'text', (c) => c.notNull())
    // 'below_target' | 'fall' | 'suspect_run' | 'dossier_on_time' | 'dossier_apology'
    .addColumn('rule', 'text', (c) => c.notNull())
    // 'desk' | 'unit' | 'field'
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    // The unit whose staff see it (a desk's unit, the unit itself); null: the province's (administrators).
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    // The window whose figures raised it ('30d' | 'quarter' | 'year') and its days, as last evaluated.
    .addColumn('window', 'text', (c) => c.notNull())
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    // Shares 0..1 (null where the rule has none): the figure, its target, the bound read, respondents or dossiers.
    .addColumn('value', 'double precision')
    .addColumn('target', 'double precision')
    .addColumn('bound', 'double precision')
    .addColumn('n', 'integer', (c) => c.notNull())
    // Everything else the page says about it (every window's figures, the earlier period, counts): JSON.
    .addColumn('details_json', 'text', (c) => c.notNull())
    // 'open' | 'acknowledged' | 'closed'
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('evaluated_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'integer', (c) => c.references('users.id'))
    .addColumn('closed_at', 'text')
    // 'recovered' (the condition no longer holds) | 'subject_gone' (desk or unit deactivated)
    .addColumn('close_reason', 'text')
    // The figure of the window that raised it when it closed (share 0..1).
    .addColumn('closed_value', 'double precision')
    .execute();
  await db.schema
    .createIndex('alerts_one_open')
    .on('alerts')
    .column('alert_key')
    .unique()
    .where(sql.ref('closed_at'), 'is', null)
    .execute();
  await db.schema.createIndex('alerts_status_opened').on('alerts').columns(['status', 'opened_at']).execute();
  await db.schema.createIndex('alerts_unit').on('alerts').columns(['unit_id', 'opened_at']).execute();

  await db.schema
    .createTable('alert_actions')
    .addColumn('id', idType, idDef)
    .addColumn('alert_id', 'integer', (c) => c.notNull().references('alerts.id'))
    // Who took it (a name as the unit says it: "Chị Lan, tổ một cửa") and who wrote it down.
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    // Local day YYYY-MM-DD by which it is to be done.
    .addColumn('due_day', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Local day the action was recorded: the figure "after the fix" counts responses from the next day.
    .addColumn('created_day', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alert_actions_alert').on('alert_actions').column('alert_id').execute();

  await db.schema
    .createTable('job_runs')
    // 'evaluate' (a closed day) | 'digest' (an ISO week)
    .addColumn('job', 'text', (c) => c.notNull())
    // '2026-12-05', '2026-W49'
    .addColumn('run_key', 'text', (c) => c.notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    // Another server may take the run over after this instant (the holder stopped mid-run).
    .addColumn('lease_until', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('summary', 'text')
    .addPrimaryKeyConstraint('job_runs_pk', ['job', 'run_key'])
    .execute();

  await db.schema
    .createTable('mail_log')
    .addColumn('id', idType, idDef)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    // 'digest' | 'alert'
    .addColumn('kind', 'text', (c) => c.notNull())
    // The digest's week, or the alerts' evaluation: one email per recipient per run.
    .addColumn('run_key', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('mail_log_once', ['user_id', 'kind', 'run_key'])
    .execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', idType, idDef)
    // null: the province's (every alert); else the unit's alerts only.
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    // The HMAC-SHA256 key the receiver checks signatures with (shown once when created).
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', idType, idDef)
    .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id'))
    // 'alert.opened' | 'alert.closed' | 'ping'
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'integer', (c) => c.references('alerts.id'))
    .addColumn('payload', 'text', (c) => c.notNull())
    // 'pending' | 'delivered' | 'failed' (gave up after the last try)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', idType, idDef)
    .addColumn('delivery_id', 'integer', (c) => c.notNull().references('webhook_deliveries.id'))
    .addColumn('tried_at', 'text', (c) => c.notNull())
    // The receiver's HTTP status, or null when it could not be reached (then `error` says why).
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').column('delivery_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['webhook_attempts', 'webhook_deliveries', 'webhooks', 'mail_log', 'job_runs', 'alert_actions', 'alerts']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('users').dropColumn('alert_emails').execute();
  await db.schema.alterTable('users').dropColumn('lang').execute();
  await db.schema.alterTable('users').dropColumn('email').execute();
}
