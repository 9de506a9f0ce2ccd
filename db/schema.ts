/**
 * Kysely table types. Dialect-neutral on purpose: times are ISO-8601 UTC text, days are
 * 'YYYY-MM-DD' text local to Asia/Ho_Chi_Minh, booleans are 0/1 integers, so SQLite and
 * PostgreSQL share one set of migrations and queries.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export type FieldGroup = 'tthc' | 'health' | 'education';
export type QuestionnaireKind = FieldGroup;
export type QuestionType = 'rating5' | 'single_choice' | 'multi_choice' | 'text';
/** What a question contributes to the indicators (see design.md). */
export type QuestionRole = 'criterion' | 'overall' | 'expectation' | 'comment' | 'extra';
export type Channel = 'qr' | 'kiosk' | 'web' | 'paper';
export type ResponseStatus = 'ok' | 'suspect' | 'spam';
export type UnitKind = 'province' | 'department' | 'province_center' | 'commune' | 'ward' | 'hospital' | 'school';

/** Counts are bigint in PostgreSQL sums; the driver may hand them back as strings. */
type Count = ColumnType<number, number | undefined, number>;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface UnitsTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: UnitKind;
  parent_id: number | null;
  active: ColumnType<number, number | undefined, number>;
  created_at: string;
}

export interface FieldsTable {
  id: Generated<number>;
  code: string;
  name_vi: string;
  name_en: string;
  field_group: FieldGroup;
  position: number;
  /** 0: retired (a field the 2025 reorganisation split): its answers keep it, no desk is given it any more. */
  active: ColumnType<number, number | undefined, number>;
}

export interface QuestionnairesTable {
  id: Generated<number>;
  code: string;
  version: number;
  kind: QuestionnaireKind;
  title_vi: string;
  title_en: string;
  intro_vi: string;
  intro_en: string;
  /** 1 once a response uses it: later changes go into a new version. */
  locked: ColumnType<number, number | undefined, number>;
  created_at: string;
}

export interface ElementsTable {
  id: Generated<number>;
  questionnaire_id: number;
  code: string;
  position: number;
  name_vi: string;
  name_en: string;
}

export interface QuestionsTable {
  id: Generated<number>;
  questionnaire_id: number;
  key: string;
  element_code: string | null;
  position: number;
  type: QuestionType;
  role: QuestionRole;
  text_vi: string;
  text_en: string;
  required: number;
  allow_no_opinion: number;
  max_choices: number | null;
  /** JSON array of {key, vi, en} for single_choice and multi_choice; null otherwise. */
  options_json: string | null;
  /** A few words for charts and tables ("Thái độ công chức"); null: the full text is used. */
  short_vi: string | null;
  short_en: string | null;
}

export interface DesksTable {
  id: Generated<number>;
  unit_id: number;
  code: string;
  name: string;
  questionnaire_id: number;
  /** Bumped to revoke every printed QR code of the desk at once. */
  token_version: ColumnType<number, number | undefined, number>;
  active: ColumnType<number, number | undefined, number>;
  created_at: string;
  /** 1: citizens type their dossier code, and one dossier gets one response. */
  requires_dossier: ColumnType<number, number | undefined, number>;
  /**
   * What a citizen types instead of scanning (`BASE_URL/q/7K3M-9PXA`; db/short-codes.ts): random, unique,
   * in capitals without separators, drawn again with each new token_version. Nullable in the database
   * only because SQLite cannot add a NOT NULL column (migration 0016); every desk has one.
   */
  short_code: string;
}

export interface DeskFieldsTable {
  desk_id: number;
  field_id: number;
  position: number;
}

export interface ResponsesTable {
  id: Generated<number>;
  public_id: string;
  questionnaire_id: number;
  unit_id: number;
  desk_id: number;
  field_id: number;
  channel: Channel;
  submitted_at: string;
  local_day: string;
  lang: string;
  status: ResponseStatus;
  dossier_hash: string | null;
  /** Seconds between the form being served and submitted; null when unknown (imports). */
  seconds_taken: number | null;
  /** Why it was flagged, comma-separated signals (survey/signals.ts); '' when nothing looked wrong. */
  flags: ColumnType<string, string | undefined, string>;
  /** 1: sent through a per-dossier link issued by the one-stop software. */
  verified: ColumnType<number, number | undefined, number>;
  /** The account that typed a paper form in; null for every other channel. */
  entered_by: ColumnType<number | null, number | null | undefined, number | null>;
  /** The registered counter tablet (kiosks) a kiosk response came from. */
  kiosk_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Its answers as "questionId=value" joined by ',', written with it: what the export copies (migration 0019). */
  answers_text: ColumnType<string, string | undefined, string>;
}

/** A counter tablet registered on its desk's page: its own address, revocable alone. */
export interface KiosksTable {
  id: Generated<number>;
  desk_id: number;
  name: string;
  created_at: string;
  created_by: number | null;
  revoked_at: string | null;
}

/** A per-dossier survey link the one-stop software asked for (routes/dossier-links.ts). */
export interface DossierLinksTable {
  nonce: string;
  desk_id: number;
  /** api_tokens.id of the token that asked. */
  token_id: number;
  issued_at: string;
  /** Signals of the request that made it; '' when none. A flagged link's response is not verified. */
  flags: ColumnType<string, string | undefined, string>;
}

export interface AnswersTable {
  id: Generated<number>;
  response_id: number;
  question_id: number;
  /** 1..5 for rating5; null means "Không ý kiến" (no opinion) or a choice answer. */
  value: number | null;
  /** The chosen option for single_choice / multi_choice (one row per option); '' otherwise. */
  option_key: string;
}

/**
 * A citizen's comment, with the columns of its response that the comment lists filter by, copied
 * when it is written (queries/comments.ts commentRow) and its status moved with the response's.
 */
export interface CommentsTable {
  id: Generated<number>;
  response_id: number;
  question_id: number;
  text: string;
  hidden: ColumnType<number, number | undefined, number>;
  /** The response's submitted_at: the lists show the newest first. */
  created_at: string;
  local_day: string;
  unit_id: number;
  desk_id: number;
  field_id: number;
  channel: Channel;
  status: ResponseStatus;
  /** The response's answer to the overall question (1..5); null for "Không ý kiến" or none. */
  overall: number | null;
}

/**
 * One row per local day, unit, desk, field, question, channel, status and option, written in the
 * same transaction as the response. Rating questions use option_key '' and n0..n5 (n0 = no
 * opinion). Choice questions have one row per option with n_chosen, plus a row with option_key ''
 * whose n_chosen counts the respondents who answered the question at all.
 */
export interface DailyRollupsTable {
  day: string;
  unit_id: number;
  desk_id: number;
  field_id: number;
  question_id: number;
  channel: Channel;
  status: ResponseStatus;
  option_key: string;
  n0: Count;
  n1: Count;
  n2: Count;
  n3: Count;
  n4: Count;
  n5: Count;
  n_chosen: Count;
}

/**
 * Responses per local day, unit, desk, field, questionnaire, channel and status, with the sums
 * that respondent-level figures need (analytics/composite.ts): for the respondents who answered at
 * least one criterion (`scored`), the sum and sum of squares of their own composite score and how
 * many were satisfied on every criterion; for the item rate, Σx, Σy, Σx², Σy², Σxy over
 * respondents of x = criteria answered and y = criteria rated 4-5.
 */
export interface DailyResponsesTable {
  day: string;
  unit_id: number;
  desk_id: number;
  field_id: number;
  questionnaire_id: number;
  channel: Channel;
  status: ResponseStatus;
  n: Count;
  scored: Count;
  score_sum: Count;
  score_sq: Count;
  all_satisfied: Count;
  item_x: Count;
  item_y: Count;
  item_xx: Count;
  item_yy: Count;
  item_xy: Count;
}

/** The daily rollups summed by local month ('YYYY-MM'), written alongside them. */
export type MonthlyRollupsTable = Omit<DailyRollupsTable, 'day'> & { month: string };
export type MonthlyResponsesTable = Omit<DailyResponsesTable, 'day'> & { month: string };

/** Form tokens already spent: a replayed form maps back to its response. */
export interface UsedNoncesTable {
  nonce: string;
  response_id: number;
  used_at: string;
}

export type Role = 'admin' | 'manager' | 'viewer';
/** The survey's measures (analytics/measures.ts), then the dossier measures (analytics/dossiers.ts). */
export type MeasureCode = 'overall_rate' | 'sipas_index' | 'item_rate' | 'on_time_rate' | 'apology_rate' | 'backlog' | 'online_share' | 'service_766';

export interface IndicatorsTable {
  id: Generated<number>;
  code: string;
  name_vi: string;
  name_en: string;
  measure: MeasureCode;
  /** JSON: {"field_groups": [...]} or {"fields": [...]} or {"questionnaire_kinds": [...]}. */
  covers_json: string;
  position: number;
}

export interface TargetsTable {
  id: Generated<number>;
  indicator_id: number;
  /** Percent, 0..100: the value must be strictly above it ("trên 87%"). */
  threshold: number;
  valid_from: string;
  valid_to: string;
  /** Where the number comes from, e.g. "QĐ 2228/QĐ-UBND (2025)". */
  source: string;
  /** 0 while a later year's target is only the previous year's copied as a default. */
  confirmed: ColumnType<number, number | undefined, number>;
  updated_at: string | null;
  updated_by: number | null;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  /** argon2id, PHC string. */
  password_hash: string;
  role: Role;
  /** null for administrators, who see every unit. */
  unit_id: number | null;
  active: ColumnType<number, number | undefined, number>;
  created_at: string;
  last_login_at: string | null;
  /** 1: a viewer who may also type in paper forms of their unit. */
  paper_entry: ColumnType<number, number | undefined, number>;
  /** Where alert emails and the weekly digest go; null: none. */
  email: ColumnType<string | null, string | null | undefined, string | null>;
  /** The language of this account's emails. */
  lang: ColumnType<'vi' | 'en', 'vi' | 'en' | undefined, 'vi' | 'en'>;
  /** 1: gets the weekly digest and immediate alert emails; 0: unsubscribed. */
  alert_emails: ColumnType<number, number | undefined, number>;
}

export interface SessionsTable {
  /** SHA-256 of the session id: the id itself lives only in the browser's cookie. */
  sid_hash: string;
  data: string;
  expires_at: string;
  /** The signed-in user, so that disabling an account ends its sessions at once. */
  user_id: number | null;
}

/** A one-time link to set a password: for a new account ('invite') or a forgotten one ('reset'). */
export interface PasswordLinksTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 of the link's token; the token is shown once. */
  token_hash: string;
  purpose: 'invite' | 'reset';
  created_at: string;
  expires_at: string;
  used_at: string | null;
  created_by: number | null;
}

/**
 * A one-time sign-in unlock link: opened on a new phone or computer, it marks that browser as one
 * where the account signs in (server/auth/known-browser.ts), so failures made elsewhere no longer
 * make it wait. It sets no password and signs nobody in.
 */
export interface UnlockLinksTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 of the link's token; the token is shown once. */
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  created_by: number | null;
}

/**
 * The public page's figures of a closed period as first published (/cong-khai,
 * server/figures/disclosure.ts): shown as stored from then on, so they never change.
 */
export interface PublishedFiguresTable {
  id: Generated<number>;
  /** 'M:2026-11', 'Q:2026-3', 'Y:2025'. */
  period_id: string;
  kind: 'month' | 'quarter' | 'year';
  period_from: string;
  period_to: string;
  /** How payload is written (server/figures/disclosure.ts, PUBLICATION_FORMAT). */
  format: number;
  payload: string;
  published_at: string;
}

/** How a dossier was submitted: QĐ 766/QĐ-TTg's channels 1 (in person), 2 (online), 3 (post). */
export type DossierChannel = 'in_person' | 'online' | 'post';

/** Dossier counts from the one-stop software, per local day, desk, field and channel (issue 20). */
export interface DossierCountsTable {
  day: string;
  desk_id: number;
  field_id: number;
  channel: DossierChannel;
  received: number;
  resolved: number;
  /** Resolved on or before the promised return date; on_time + late <= resolved. */
  on_time: number;
  late: number;
  /** Late dossiers for which an apology letter (thư xin lỗi) was sent; <= late. */
  apologised: number;
  /** Past due and unresolved at the end of the day (tồn đọng): a stock, not a flow. */
  backlog: number;
  /** Dossiers that drew a complaint or feedback (phản ánh, kiến nghị). */
  complaints: number;
  imported_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 of the token; the token itself is shown once and never stored. */
  token_hash: string;
  label: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** 'read' (the API), or 'read,links' (also per-dossier survey links). */
  permissions: ColumnType<string, string | undefined, string>;
  /** After this instant the token no longer opens the API. */
  expires_at: string;
}

/** A survey form sent back for a correction, shown by a GET (queries/survey-drafts.ts). */
export interface SurveyDraftsTable {
  id: string;
  desk_id: number;
  form_token: string;
  /** {"question key": ["values"]}: what the citizen had answered. */
  answers_json: string;
  /** {"question key": {"message": key, "params": {}}}: what to correct. */
  errors_json: string;
  expired: number;
  created_at: string;
}

/** Counts of a rate limit in one time window, shared by every app server. */
export interface RateCountersTable {
  key: string;
  time_window: string;
  count: number;
}

/**
 * Failed sign-ins counted under a keyed hash (HMAC) of what they were against: an account, a
 * client address, or a browser that signed in before. Never the name or the address in clear.
 */
export interface SignInThrottleTable {
  key: string;
  /** Failures since window_start. */
  failures: number;
  window_start: string;
  last_failure_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  user_id: number | null;
  action: string;
  subject: string;
  detail: string;
  /** JSON of what changed, before and after: null when the action has no state (a sign-in). */
  before_json: string | null;
  after_json: string | null;
}

/** What raised an alert (server/alerts/rules.ts). */
export type AlertRule = 'below_target' | 'fall' | 'suspect_run' | 'dossier_on_time' | 'dossier_apology';
export type AlertSubjectKind = 'desk' | 'unit' | 'field';
export type AlertWindow = '7d' | '30d' | 'quarter' | 'year';
export type AlertStatus = 'open' | 'acknowledged' | 'closed';
export type AlertCloseReason = 'recovered' | 'unsure' | 'subject_gone';

/** An alert: one row per rule and subject while its condition holds (issue 22). */
export interface AlertsTable {
  id: Generated<number>;
  /** `${rule}|${subject_kind}:${subject_id}`: unique among alerts not yet closed. */
  alert_key: string;
  rule: AlertRule;
  subject_kind: AlertSubjectKind;
  subject_id: number;
  /** Whose staff see it; null: the province's (administrators only). */
  unit_id: number | null;
  window: AlertWindow;
  period_from: string;
  period_to: string;
  /** Shares 0..1. */
  value: number | null;
  target: number | null;
  /** The bound of the interval the rule read (the upper bound of the provisional 99.9% interval). */
  bound: number | null;
  n: number;
  details_json: string;
  status: AlertStatus;
  opened_at: string;
  evaluated_at: string;
  acknowledged_at: string | null;
  acknowledged_by: number | null;
  closed_at: string | null;
  /** recovered: the figure is back; unsure: the data no longer say so (after CLOSE_AFTER_DAYS); subject_gone: desk or unit deactivated. */
  close_reason: AlertCloseReason | null;
  closed_value: number | null;
}

/** A follow-up of an alert: who took it, what was done, by when. */
export interface AlertActionsTable {
  id: Generated<number>;
  alert_id: number;
  owner: string;
  action: string;
  due_day: string;
  created_by: number;
  created_at: string;
  created_day: string;
}

/** A scheduled run claimed by one app server (a lease another may take over once it lapses). */
export interface JobRunsTable {
  job: string;
  run_key: string;
  holder: string;
  started_at: string;
  lease_until: string;
  finished_at: string | null;
  summary: string | null;
}

/** One email sent: at most one per recipient, kind and run. */
export interface MailLogTable {
  id: Generated<number>;
  user_id: number;
  kind: 'digest' | 'alert';
  run_key: string;
  address: string;
  subject: string;
  sent_at: string;
}

export interface WebhooksTable {
  id: Generated<number>;
  /** null: the province's (every alert). */
  unit_id: number | null;
  url: string;
  secret: string;
  active: ColumnType<number, number | undefined, number>;
  created_by: number | null;
  created_at: string;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  event: 'alert.opened' | 'alert.closed' | 'ping';
  alert_id: number | null;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  tried_at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface Database {
  indicators: IndicatorsTable;
  targets: TargetsTable;
  users: UsersTable;
  sessions: SessionsTable;
  password_links: PasswordLinksTable;
  unlock_links: UnlockLinksTable;
  published_figures: PublishedFiguresTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  sign_in_throttle: SignInThrottleTable;
  settings: SettingsTable;
  units: UnitsTable;
  fields: FieldsTable;
  questionnaires: QuestionnairesTable;
  elements: ElementsTable;
  questions: QuestionsTable;
  desks: DesksTable;
  desk_fields: DeskFieldsTable;
  responses: ResponsesTable;
  answers: AnswersTable;
  comments: CommentsTable;
  daily_rollups: DailyRollupsTable;
  daily_responses: DailyResponsesTable;
  monthly_rollups: MonthlyRollupsTable;
  monthly_responses: MonthlyResponsesTable;
  used_nonces: UsedNoncesTable;
  rate_counters: RateCountersTable;
  survey_drafts: SurveyDraftsTable;
  kiosks: KiosksTable;
  dossier_links: DossierLinksTable;
  dossier_counts: DossierCountsTable;
  alerts: AlertsTable;
  alert_actions: AlertActionsTable;
  job_runs: JobRunsTable;
  mail_log: MailLogTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

export type Alert = Selectable<AlertsTable>;
export type AlertAction = Selectable<AlertActionsTable>;

export type Unit = Selectable<UnitsTable>;
export type Field = Selectable<FieldsTable>;
export type Questionnaire = Selectable<QuestionnairesTable>;
export type Question = Selectable<QuestionsTable>;
export type Element = Selectable<ElementsTable>;
export type Desk = Selectable<DesksTable>;
export type NewResponse = Insertable<ResponsesTable>;
export type User = Selectable<UsersTable>;
export type Indicator = Selectable<IndicatorsTable>;
export type Target = Selectable<TargetsTable>;
