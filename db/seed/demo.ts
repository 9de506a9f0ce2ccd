/**
 * Demo data at the scale of a province: desks at every commune-level unit, the departments, the
 * provincial center, hospitals and schools, and synthetic citizens over the last 24 months whose
 * answers differ by unit and drift over time. It yields answers as the survey's validation gives
 * them (question ids, not raw forms: a million forms would cost more to parse than to store), and the
 * caller stores them through the one batched write every channel uses (db/queries/responses.ts), so
 * the demo's rollups are exact for the same reason real ones are; `demoForm` rebuilds the raw form,
 * with which the caller checks that the survey would have accepted them as they are.
 * Deterministic for a given seed, so two demo databases made the same day look the same.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createDesk, type DeskSurvey, findDeskByCode, findDeskSurvey } from '../queries/desks.ts';
import { latestQuestionnaire } from '../queries/questionnaires.ts';
import type { Channel, Database, DossierCountsTable, Question, UnitKind } from '../schema.ts';

export interface DemoDesk {
  unit: string;
  code: string;
  name: string;
  questionnaire: string;
  fields: string[];
  /** Share of satisfied answers this desk tends to get; varies so rankings mean something. */
  quality: number;
  /** Relative traffic. */
  weight: number;
}

/** A commune's one-stop desk: the fields most asked about, and "Thủ tục hành chính khác" for the rest (issue 21). */
const ONE_STOP_FIELDS = ['tu-phap-ho-tich', 'dat-dai', 'lao-dong-viec-lam', 'bao-tro-xa-hoi', 'xay-dung', 'hanh-chinh-khac'];
const PROVINCE_CENTER = 'trung-tam-phuc-vu-hanh-chinh-cong-tinh-nghe-an';

/** Desks named in docs/ and the tests: the provincial center's counters and a few communes. */
export const DEMO_DESKS: DemoDesk[] = [
  { unit: PROVINCE_CENTER, code: 'DD', name: 'Quầy Đất đai', questionnaire: 'tthc-short', fields: ['dat-dai'], quality: 0.84, weight: 60 },
  { unit: PROVINCE_CENTER, code: 'XD', name: 'Quầy Xây dựng', questionnaire: 'tthc-short', fields: ['xay-dung'], quality: 0.88, weight: 30 },
  { unit: PROVINCE_CENTER, code: 'DT', name: 'Quầy Đầu tư', questionnaire: 'tthc-full', fields: ['dau-tu'], quality: 0.9, weight: 20 },
  { unit: PROVINCE_CENTER, code: 'DKKD', name: 'Quầy Đăng ký kinh doanh', questionnaire: 'tthc-short', fields: ['dang-ky-kinh-doanh'], quality: 0.95, weight: 40 },
  { unit: PROVINCE_CENTER, code: 'TP', name: 'Quầy Tư pháp', questionnaire: 'tthc-short', fields: ['tu-phap-ho-tich'], quality: 0.93, weight: 30 },
  { unit: PROVINCE_CENTER, code: 'LDXH', name: 'Quầy Lao động - Xã hội', questionnaire: 'tthc-short', fields: ['lao-dong-viec-lam', 'bao-tro-xa-hoi'], quality: 0.91, weight: 20 },
  { unit: PROVINCE_CENTER, code: 'GTVT', name: 'Quầy Đường bộ, đường thủy', questionnaire: 'tthc-short', fields: ['giao-thong-van-tai'], quality: 0.89, weight: 30 },
  { unit: PROVINCE_CENTER, code: 'NNMT', name: 'Quầy Nông nghiệp và Môi trường', questionnaire: 'tthc-short', fields: ['nong-nghiep-moi-truong'], quality: 0.9, weight: 20 },
  { unit: '16681', code: 'MC', name: 'Bộ phận Một cửa', questionnaire: 'tthc-short', fields: ONE_STOP_FIELDS, quality: 0.92, weight: 50 },
  { unit: '17920', code: 'MC', name: 'Bộ phận Một cửa', questionnaire: 'tthc-short', fields: ONE_STOP_FIELDS, quality: 0.87, weight: 40 },
  { unit: '17329', code: 'MC', name: 'Bộ phận Một cửa', questionnaire: 'tthc-short', fields: ONE_STOP_FIELDS, quality: 0.82, weight: 20 },
  { unit: '17254', code: 'MC', name: 'Bộ phận Một cửa', questionnaire: 'tthc-2023', fields: ONE_STOP_FIELDS, quality: 0.94, weight: 20 },
  { unit: 'benh-vien-huu-nghi-da-khoa-nghe-an', code: 'KKB', name: 'Khoa Khám bệnh', questionnaire: 'health', fields: ['y-te'], quality: 0.86, weight: 50 },
  { unit: 'truong-thpt-chuyen-phan-boi-chau', code: 'VP', name: 'Văn phòng nhà trường', questionnaire: 'education', fields: ['giao-duc'], quality: 0.91, weight: 20 },
];

/** Fields a department's own counter takes, by its code. */
const DEPARTMENT_FIELDS: Record<string, string[]> = {
  'so-tu-phap': ['tu-phap-ho-tich'],
  'so-xay-dung': ['xay-dung', 'giao-thong-van-tai'],
  'so-tai-chinh': ['dau-tu', 'dang-ky-kinh-doanh'],
  'so-nong-nghiep-va-moi-truong': ['dat-dai', 'nong-nghiep-moi-truong'],
  'so-noi-vu': ['lao-dong-viec-lam'],
  'so-y-te': ['bao-tro-xa-hoi'],
};

/**
 * Demo comments by what the citizen thought of the service (issue 21: a 1-star response once said
 * "very satisfied"): a comment is drawn from the words that fit the response's overall rating.
 */
export const COMMENTS = {
  /** Overall rating 4–5. */
  pleased: [
    'Cán bộ hướng dẫn nhiệt tình, dễ hiểu.',
    'Hồ sơ được trả đúng hẹn, cảm ơn cán bộ.',
    'Thái độ phục vụ tốt, lịch sự.',
    'Thủ tục nhanh gọn hơn trước nhiều.',
    'Rất hài lòng, không phải chờ lâu.',
    'Cần thêm ghế ngồi ở khu vực chờ.',
  ],
  /** Overall rating 3. */
  mixed: [
    'Cán bộ nhiệt tình nhưng thời gian chờ còn lâu.',
    'Nên có hướng dẫn nộp hồ sơ trực tuyến rõ ràng hơn.',
    'Cần thêm ghế ngồi ở khu vực chờ.',
    'Bãi gửi xe chật, trời mưa rất bất tiện.',
  ],
  /** Overall rating 1–2. */
  displeased: [
    'Thời gian chờ quá lâu, nên bố trí thêm người tiếp nhận vào buổi sáng.',
    'Phải bổ sung giấy tờ nhiều lần, mong được hướng dẫn một lần cho đủ.',
    'Máy lấy số thứ tự hay bị lỗi, phải xếp hàng lại.',
    'Hồ sơ bị trả chậm so với giấy hẹn mà không được báo trước.',
  ],
} as const;

/** Which words fit a response: by its overall rating, else (a form without one) by the share of criteria rated 4–5. */
export function commentMood(overall: number | null, pleasedShare: number): keyof typeof COMMENTS {
  if (overall !== null) return overall >= 4 ? 'pleased' : overall === 3 ? 'mixed' : 'displeased';
  return pleasedShare >= 0.75 ? 'pleased' : pleasedShare >= 0.5 ? 'mixed' : 'displeased';
}


/** mulberry32: small, fast and good enough for synthetic data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every desk of the demo: the named ones, then one for every other unit that serves citizens. */
function allDemoDesks(units: { code: string; kind: UnitKind }[]): DemoDesk[] {
  const random = seededRandom(11);
  const named = new Set(DEMO_DESKS.map((d) => d.unit));
  const extra: DemoDesk[] = [];
  for (const u of units) {
    if (named.has(u.code)) continue;
    const quality = 0.78 + random() * 0.18;
    if (u.kind === 'commune' || u.kind === 'ward') {
      // Wards are busier than mountain communes; some communes use the 2023 form.
      const weight = u.kind === 'ward' ? 25 + random() * 20 : 3 + random() * 12;
      extra.push({ unit: u.code, code: 'MC', name: 'Bộ phận Một cửa', questionnaire: random() < 0.25 ? 'tthc-2023' : 'tthc-short', fields: ONE_STOP_FIELDS, quality, weight });
    } else if (u.kind === 'department' && DEPARTMENT_FIELDS[u.code]) {
      extra.push({ unit: u.code, code: 'TN', name: 'Bộ phận Tiếp nhận và trả kết quả', questionnaire: 'tthc-short', fields: DEPARTMENT_FIELDS[u.code] ?? [], quality, weight: 8 });
    } else if (u.kind === 'hospital') {
      extra.push({ unit: u.code, code: 'KKB', name: 'Khoa Khám bệnh', questionnaire: 'health', fields: ['y-te'], quality, weight: 25 });
    } else if (u.kind === 'school') {
      extra.push({ unit: u.code, code: 'VP', name: 'Văn phòng nhà trường', questionnaire: 'education', fields: ['giao-duc'], quality, weight: 6 });
    }
  }
  return [...DEMO_DESKS, ...extra];
}

/** What the generator asks of each question of a desk's questionnaire, worked out once per desk. */
type Step =
  | { kind: 'criterion'; question: Question; noOpinion: boolean }
  | { kind: 'rating'; question: Question }
  | { kind: 'choice'; question: Question; single: boolean; max: number; options: string[] }
  | { kind: 'text'; question: Question };

export interface LoadedDesk {
  /** The desk as the survey serves it: its unit, fields and questionnaire version. */
  survey: DeskSurvey;
  spec: DemoDesk;
  steps: Step[];
}

function stepsOf(questions: Question[]): Step[] {
  return questions.flatMap((question): Step[] => {
    if (question.role === 'criterion') return [{ kind: 'criterion', question, noOpinion: question.allow_no_opinion === 1 }];
    if (question.role === 'overall' || question.type === 'rating5') return [{ kind: 'rating', question }];
    if (question.type === 'multi_choice' || question.type === 'single_choice') {
      const single = question.type === 'single_choice';
      const options = (JSON.parse(question.options_json ?? '[]') as { key: string }[]).map((o) => o.key);
      return [{ kind: 'choice', question, single, max: single ? 1 : Math.min(question.max_choices ?? 3, 3), options }];
    }
    return question.type === 'text' ? [{ kind: 'text', question }] : [];
  });
}

/** Creates the demo desks that do not exist yet (codes are stable, so a second run adds none). */
export async function ensureDemoDesks(db: Kysely<Database>, now: string): Promise<LoadedDesk[]> {
  const units = await db.selectFrom('units').select(['id', 'code', 'kind']).where('active', '=', 1).execute();
  const unitId = new Map(units.map((u) => [u.code, u.id]));
  const fields = new Map((await db.selectFrom('fields').select(['id', 'code']).execute()).map((f) => [f.code, f.id]));
  const latestOf = new Map<string, number>();
  const loaded: LoadedDesk[] = [];
  for (const spec of allDemoDesks(units)) {
    const unit = unitId.get(spec.unit);
    if (unit === undefined) throw new Error(`Demo unit ${spec.unit} is missing: the bundled units.csv must be imported first.`);
    let questionnaireId = latestOf.get(spec.questionnaire);
    if (questionnaireId === undefined) {
      const latest = await latestQuestionnaire(db, spec.questionnaire);
      if (!latest) throw new Error(`Demo questionnaire ${spec.questionnaire} is missing: reference data must be seeded first.`);
      latestOf.set(spec.questionnaire, (questionnaireId = latest.id));
    }
    const fieldIds = spec.fields.map((code) => {
      const id = fields.get(code);
      if (id === undefined) throw new Error(`Demo field ${code} is missing from db/seed/fields.json.`);
      return id;
    });
    const existing = await findDeskByCode(db, unit, spec.code);
    const id = existing?.id ?? (await createDesk(db, { unitId: unit, code: spec.code, name: spec.name, questionnaireId, fieldIds }, now));
    // An existing desk keeps the version and fields it has: the demo answers what its survey asks.
    const survey = await findDeskSurvey(db, id);
    if (!survey || survey.fields.length === 0) {
      throw new Error(`Demo desk ${spec.code} of unit ${spec.unit} is inactive or serves no field: reactivate it and give it a field on /admin/desks, or start from a new demo database.`);
    }
    loaded.push({ survey, spec, steps: stepsOf(survey.questions) });
  }
  return loaded;
}

/**
 * One synthetic citizen's visit, as the survey would have validated it (ids, not form keys, so a
 * million of them cost no parsing), and when and how it came. `demoForm` gives the raw form.
 */
export interface DemoResponse {
  desk: LoadedDesk;
  fieldId: number;
  /** In question order, like the survey's validated answers; value null = "Không ý kiến". */
  ratings: { questionId: number; value: number | null }[];
  choices: { questionId: number; optionKeys: string[] }[];
  comments: { questionId: number; text: string }[];
  submittedAt: Date;
  channel: Channel;
  lang: 'vi' | 'en';
  status: 'ok' | 'suspect';
  /** Why a suspect one was flagged (server/survey/signals.ts): sent within a second or two. */
  flags: string;
  secondsTaken: number;
  /** A single-use nonce, like a form token's. */
  nonce: string;
}

/** The raw form a citizen's phone would have posted for a demo response, named by question keys. */
export function demoForm(r: DemoResponse): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  const { fields, questions } = r.desk.survey;
  if (fields.length > 1) form.field = fields.find((f) => f.id === r.fieldId)?.code ?? '';
  const keyOf = (id: number) => questions.find((q) => q.id === id)?.key ?? '';
  for (const a of r.ratings) form[keyOf(a.questionId)] = String(a.value ?? 0);
  for (const c of r.choices) {
    const single = questions.find((q) => q.id === c.questionId)?.type === 'single_choice';
    // A radio button sends one value, checkboxes send a list.
    form[keyOf(c.questionId)] = single ? (c.optionKeys[0] ?? '') : c.optionKeys;
  }
  for (const c of r.comments) form[keyOf(c.questionId)] = c.text;
  return form;
}

/** A 1-5 rating: satisfied (4-5) with probability `satisfied`. */
function rating(random: () => number, satisfied: number): number {
  if (random() < satisfied) return random() < 0.45 ? 5 : 4;
  const r = random();
  return r < 0.6 ? 3 : r < 0.9 ? 2 : 1;
}

function pickWeighted(random: () => number, desks: LoadedDesk[], cumulative: number[]): LoadedDesk {
  const r = random() * (cumulative[cumulative.length - 1] ?? 0);
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) > r) hi = mid;
    else lo = mid + 1;
  }
  return desks[lo] as LoadedDesk;
}

export interface DemoOptions {
  responses: number;
  now: Date;
  /** How far back the responses go. */
  months?: number;
  seed?: number;
}

/** How many of `total` responses fall on each of `days` days, oldest first: growing use, quiet Sundays. */
function perDay(total: number, days: number, lastDay: Date, random: () => number): number[] {
  const weights = Array.from({ length: days }, (_, i) => {
    const day = new Date(lastDay.getTime() - (days - 1 - i) * 86_400_000);
    const weekday = day.getUTCDay();
    // More people use the QR code every month; few centers open on Sunday, half days on Saturday.
    return (0.6 + (0.8 * i) / days) * (weekday === 0 ? 0.05 : weekday === 6 ? 0.5 : 1) * (0.85 + 0.3 * random());
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((w / sum) * total));
  // The rounding remainder goes to the latest days.
  for (let left = total - counts.reduce((a, b) => a + b, 0), i = days - 1; left > 0; left--, i = i === 0 ? days - 1 : i - 1) counts[i] = (counts[i] ?? 0) + 1;
  return counts;
}

/**
 * Synthetic citizens, day by day from the oldest: real submissions arrive in time order, and so the
 * rollup counts of a batch fall on few days and merge, as they do when a hall submits together.
 */
export function* demoResponses(desks: LoadedDesk[], opts: DemoOptions): Generator<DemoResponse> {
  const random = seededRandom(opts.seed ?? 2025);
  const days = Math.round((opts.months ?? 24) * 30.44);
  const cumulative: number[] = [];
  let total = 0;
  for (const d of desks) cumulative.push((total += d.spec.weight));
  const counts = perDay(opts.responses, days, opts.now, random);
  const run = randomBytes(6).toString('base64url');
  let serial = 0;
  for (let dayIndex = 0; dayIndex < days; dayIndex++) {
    const daysAgo = days - 1 - dayIndex;
    // Service improves by about three points a year.
    const drift = (daysAgo / 365) * 0.03;
    for (let k = 0; k < (counts[dayIndex] ?? 0); k++) {
      const desk = pickWeighted(random, desks, cumulative);
      const fields = desk.survey.fields;
      // Office hours, 7:30 to 17:00 local time (00:30 to 10:00 UTC).
      const submitted = new Date(opts.now.getTime() - daysAgo * 86_400_000);
      submitted.setUTCHours(0, 30 + Math.floor(random() * 570), Math.floor(random() * 60), 0);
      if (submitted > opts.now) submitted.setTime(opts.now.getTime() - Math.floor(random() * 3_600_000));
      // Each citizen has a mood of their own.
      const mood = (random() - 0.5) * 0.14;
      const satisfied = Math.min(0.99, Math.max(0.3, desk.spec.quality - drift + mood));
      const field = fields.length > 1 ? fields[Math.floor(random() * fields.length)] : fields[0];
      const ratings: DemoResponse['ratings'] = [];
      const choices: DemoResponse['choices'] = [];
      const comments: DemoResponse['comments'] = [];
      // A comment's place and draw, worded once the overall rating is known (the comment box may come before it).
      const commentDraws: { questionId: number; draw: number }[] = [];
      let overall: number | null = null;
      let answered = 0;
      let pleased = 0;
      for (const step of desk.steps) {
        const questionId = step.question.id;
        if (step.kind === 'criterion') {
          if (step.noOpinion && random() < 0.04) {
            ratings.push({ questionId, value: null });
            continue;
          }
          const value = rating(random, satisfied);
          answered++;
          if (value >= 4) pleased++;
          ratings.push({ questionId, value });
        } else if (step.kind === 'rating') {
          const share = answered > 0 ? pleased / answered : satisfied;
          const value = rating(random, 0.5 * share + 0.5 * satisfied);
          if (step.question.role === 'overall') overall = value;
          ratings.push({ questionId, value });
        } else if (step.kind === 'choice') {
          const count = step.single ? (random() < 0.8 ? 1 : 0) : Math.floor(random() * (step.max + 1));
          const optionKeys: string[] = [];
          // Early options are the ones citizens care most about; skew towards them.
          while (optionKeys.length < count && optionKeys.length < step.options.length) {
            const key = step.options[Math.floor(random() ** 1.6 * step.options.length)] as string;
            if (!optionKeys.includes(key)) optionKeys.push(key);
          }
          if (optionKeys.length > 0) choices.push({ questionId, optionKeys });
        } else if (random() < 0.1) {
          commentDraws.push({ questionId, draw: random() });
        }
      }
      if (commentDraws.length > 0) {
        const words = COMMENTS[commentMood(overall, answered > 0 ? pleased / answered : satisfied)];
        for (const c of commentDraws) comments.push({ questionId: c.questionId, text: words[Math.floor(c.draw * words.length)] as string });
      }
      const channel: Channel = random() < 0.86 ? 'qr' : random() < 0.6 ? 'kiosk' : 'paper';
      const hasty = random() < 0.02;
      yield {
        desk,
        fieldId: field?.id ?? 0,
        ratings,
        choices,
        comments,
        submittedAt: submitted,
        channel,
        lang: random() < 0.95 ? 'vi' : 'en',
        status: hasty ? 'suspect' : 'ok',
        flags: hasty ? 'too-fast' : '',
        secondsTaken: hasty ? 1 + Math.floor(random() * 2) : 20 + Math.floor(random() * 120),
        // Unique like a form token's nonce, without paying for random bytes a million times.
        nonce: `demo:${run}:${++serial}`,
      };
    }
  }
}

/** Responses the demo stored per desk, field and local month: what its dossier counts are made from. */
export type ResponseTally = Map<string, { deskId: number; fieldId: number; month: string; responses: number }>;

export function tallyKey(deskId: number, fieldId: number, month: string): string {
  return `${deskId}|${fieldId}|${month}`;
}

/** The working days (Monday to Saturday morning) of a local month 'YYYY-MM', up to `lastDay`. */
function workingDays(month: string, lastDay: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const days: string[] = [];
  for (let d = 1; d <= 31; d++) {
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCMonth() !== m - 1) break;
    const iso = date.toISOString().slice(0, 10);
    if (iso > lastDay) break;
    if (date.getUTCDay() !== 0) days.push(iso);
  }
  return days;
}

/**
 * Dossier counts consistent with the demo's responses (issue 20): each desk answers for a share of
 * the dossiers it resolves (its response rate, 2–40%, higher in person than online), resolves 93–99.9%
 * of them on time (about one desk in six under the plan's 95%, so the demo shows some dossier alerts,
 * not one per unit) and apologises for nearly every late one; each field is resolved online in its own share
 * (30–75%), a few by post. Only rows with dossiers are written, one per working day, desk, field and
 * channel, so the table holds about as many rows as the demo has dossiers at small sizes and at most
 * one per cell at large ones. Deterministic for a seed.
 */
export function demoDossierCounts(tally: ResponseTally, lastDay: string, seed = 766): Omit<DossierCountsTable, 'imported_at'>[] {
  const random = seededRandom(seed);
  const deskRate = new Map<number, { rate: number; onTime: number }>();
  const fieldOnline = new Map<number, number>();
  const cells = new Map<string, Omit<DossierCountsTable, 'imported_at'>>();
  for (const t of tally.values()) {
    let desk = deskRate.get(t.deskId);
    if (!desk) deskRate.set(t.deskId, (desk = { rate: 0.02 + 0.38 * random() ** 1.5, onTime: 0.93 + 0.069 * random() }));
    let online = fieldOnline.get(t.fieldId);
    if (online === undefined) fieldOnline.set(t.fieldId, (online = 0.3 + 0.45 * random()));
    const days = workingDays(t.month, lastDay);
    if (days.length === 0) continue;
    // Citizens who came in person answer at the desk's QR code more often than those who applied online.
    const inPersonShare = 1 - online - 0.03;
    const perResponse = inPersonShare + online * 0.4 + 0.03 * 0.5;
    const resolved = Math.max(t.responses, Math.round(t.responses / (desk.rate * perResponse)));
    for (let k = 0; k < resolved; k++) {
      const day = days[Math.floor(random() * days.length)] as string;
      const u = random();
      const channel = u < inPersonShare ? 'in_person' : u < inPersonShare + online ? 'online' : 'post';
      const key = `${day}|${t.deskId}|${t.fieldId}|${channel}`;
      let row = cells.get(key);
      if (!row) {
        row = { day, desk_id: t.deskId, field_id: t.fieldId, channel, received: 0, resolved: 0, on_time: 0, late: 0, apologised: 0, backlog: 0, complaints: 0 };
        cells.set(key, row);
      }
      row.resolved++;
      row.received += random() < 0.97 ? 1 : random() < 0.5 ? 0 : 2;
      if (random() < desk.onTime) row.on_time++;
      else {
        row.late++;
        if (random() < 0.97) row.apologised++;
        if (random() < 0.1) row.backlog++;
      }
      if (random() < 0.004) row.complaints++;
    }
  }
  return [...cells.values()];
}
