/**
 * Demo data at the scale of a province: desks at every commune-level unit, the departments, the
 * provincial center, hospitals and schools, and synthetic citizens over the last 24 months whose
 * answers differ by unit and drift over time. It yields raw forms, named by question keys exactly
 * as the survey form names them, and the caller sends them through the one path every channel uses
 * (server/survey/record.ts): the demo's rollups are exact for the same reason real ones are.
 * Deterministic for a given seed, so two demo databases made the same day look the same.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createDesk, findDeskByCode } from '../queries/desks.ts';
import { latestQuestionnaire } from '../queries/questionnaires.ts';
import type { Channel, Database, Question, UnitKind } from '../schema.ts';

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

const ONE_STOP_FIELDS = ['tu-phap-ho-tich', 'dat-dai', 'lao-dong-viec-lam', 'bao-tro-xa-hoi', 'xay-dung'];
const PROVINCE_CENTER = 'trung-tam-phuc-vu-hanh-chinh-cong-tinh-nghe-an';

/** Desks named in the README and the tests: the provincial center's counters and a few communes. */
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

export const COMMENTS = [
  'Cán bộ hướng dẫn nhiệt tình, dễ hiểu.',
  'Thời gian chờ còn lâu, nên bố trí thêm người tiếp nhận vào buổi sáng.',
  'Cần thêm ghế ngồi ở khu vực chờ.',
  'Hồ sơ được trả đúng hẹn, cảm ơn trung tâm.',
  'Nên có hướng dẫn nộp hồ sơ trực tuyến rõ ràng hơn.',
  'Phải bổ sung giấy tờ nhiều lần, mong được hướng dẫn một lần cho đủ.',
  'Máy lấy số thứ tự hay bị lỗi.',
  'Thái độ phục vụ tốt, lịch sự.',
  'Bãi gửi xe chật, trời mưa rất bất tiện.',
  'Thủ tục nhanh gọn hơn trước nhiều.',
];

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

export interface LoadedDesk {
  id: number;
  questions: Question[];
  fieldCodes: string[];
  spec: DemoDesk;
}

/** Creates the demo desks that do not exist yet (codes are stable, so a second run adds none). */
export async function ensureDemoDesks(db: Kysely<Database>, now: string): Promise<LoadedDesk[]> {
  const units = await db.selectFrom('units').select(['id', 'code', 'kind']).where('active', '=', 1).execute();
  const unitId = new Map(units.map((u) => [u.code, u.id]));
  const fields = new Map((await db.selectFrom('fields').select(['id', 'code']).execute()).map((f) => [f.code, f.id]));
  const questionsOf = new Map<string, { id: number; questions: Question[] }>();
  const loaded: LoadedDesk[] = [];
  for (const spec of allDemoDesks(units)) {
    const unit = unitId.get(spec.unit);
    if (unit === undefined) throw new Error(`Demo unit ${spec.unit} is missing: the bundled units.csv must be imported first.`);
    let questionnaire = questionsOf.get(spec.questionnaire);
    if (!questionnaire) {
      const latest = await latestQuestionnaire(db, spec.questionnaire);
      if (!latest) throw new Error(`Demo questionnaire ${spec.questionnaire} is missing: reference data must be seeded first.`);
      const questions = await db.selectFrom('questions').selectAll().where('questionnaire_id', '=', latest.id).orderBy('position').execute();
      questionsOf.set(spec.questionnaire, (questionnaire = { id: latest.id, questions }));
    }
    const fieldIds = spec.fields.map((code) => {
      const id = fields.get(code);
      if (id === undefined) throw new Error(`Demo field ${code} is missing from db/seed/fields.json.`);
      return id;
    });
    const existing = await findDeskByCode(db, unit, spec.code);
    const id = existing?.id ?? (await createDesk(db, { unitId: unit, code: spec.code, name: spec.name, questionnaireId: questionnaire.id, fieldIds }, now));
    loaded.push({ id, questions: questionnaire.questions, fieldCodes: spec.fields, spec });
  }
  return loaded;
}

/** One synthetic citizen's visit: the raw form as the survey would post it, and when and how it came. */
export interface DemoForm {
  deskId: number;
  form: Record<string, string | string[]>;
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

function rating(random: () => number, satisfied: number): string {
  if (random() < satisfied) return random() < 0.45 ? '5' : '4';
  const r = random();
  return r < 0.6 ? '3' : r < 0.9 ? '2' : '1';
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
export function* demoForms(desks: LoadedDesk[], opts: DemoOptions): Generator<DemoForm> {
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
    for (let k = 0; k < (counts[dayIndex] ?? 0); k++) {
      const desk = pickWeighted(random, desks, cumulative);
      // Office hours, 7:30 to 17:00 local time (00:30 to 10:00 UTC).
      const submitted = new Date(opts.now.getTime() - daysAgo * 86_400_000);
      submitted.setUTCHours(0, 30 + Math.floor(random() * 570), Math.floor(random() * 60), 0);
      if (submitted > opts.now) submitted.setTime(opts.now.getTime() - Math.floor(random() * 3_600_000));
      // Service improves by about three points a year; each citizen has a mood of their own.
      const mood = (random() - 0.5) * 0.14;
      const satisfied = Math.min(0.99, Math.max(0.3, desk.spec.quality - (daysAgo / 365) * 0.03 + mood));
      const form: Record<string, string | string[]> = {};
      if (desk.fieldCodes.length > 1) form.field = desk.fieldCodes[Math.floor(random() * desk.fieldCodes.length)] ?? '';
      let answered = 0;
      let pleased = 0;
      for (const q of desk.questions) {
        if (q.role === 'criterion') {
          if (q.allow_no_opinion && random() < 0.04) {
            form[q.key] = '0';
            continue;
          }
          const value = rating(random, satisfied);
          answered++;
          if (value === '4' || value === '5') pleased++;
          form[q.key] = value;
        } else if (q.role === 'overall' || q.type === 'rating5') {
          const share = answered > 0 ? pleased / answered : satisfied;
          form[q.key] = rating(random, 0.5 * share + 0.5 * satisfied);
        } else if (q.type === 'multi_choice' || q.type === 'single_choice') {
          const options = JSON.parse(q.options_json ?? '[]') as { key: string }[];
          const max = q.type === 'single_choice' ? 1 : Math.min(q.max_choices ?? 3, 3);
          const count = q.type === 'single_choice' ? (random() < 0.8 ? 1 : 0) : Math.floor(random() * (max + 1));
          const chosen = new Set<string>();
          // Early options are the ones citizens care most about; skew towards them.
          while (chosen.size < count) chosen.add(options[Math.floor(random() ** 1.6 * options.length)]?.key ?? '');
          chosen.delete('');
          // A radio button sends one value, checkboxes send a list.
          if (chosen.size > 0) form[q.key] = q.type === 'single_choice' ? ([...chosen][0] ?? '') : [...chosen];
        } else if (q.type === 'text' && random() < 0.1) {
          form[q.key] = COMMENTS[Math.floor(random() * COMMENTS.length)] ?? '';
        }
      }
      const channel: Channel = random() < 0.86 ? 'qr' : random() < 0.6 ? 'kiosk' : 'paper';
      const hasty = random() < 0.02;
      yield {
        deskId: desk.id,
        form,
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
