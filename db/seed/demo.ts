/**
 * Demo data: desks at real Nghệ An units and synthetic responses over the last 12 months,
 * written through the same recordResponses path as real submissions so rollups stay exact.
 * Deterministic for a given seed, so two demo databases made the same day look the same.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createDesk, findDeskByCode } from '../queries/desks.ts';
import { latestQuestionnaire } from '../queries/questionnaires.ts';
import { type ResponseInput, recordResponses } from '../queries/responses.ts';
import type { Channel, Database, Question } from '../schema.ts';

interface DemoDesk {
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

export const DEMO_DESKS: DemoDesk[] = [
  { unit: PROVINCE_CENTER, code: 'DD', name: 'Quầy Đất đai', questionnaire: 'tthc-short', fields: ['dat-dai'], quality: 0.84, weight: 6 },
  { unit: PROVINCE_CENTER, code: 'XD', name: 'Quầy Xây dựng', questionnaire: 'tthc-short', fields: ['xay-dung'], quality: 0.88, weight: 3 },
  { unit: PROVINCE_CENTER, code: 'DT', name: 'Quầy Đầu tư', questionnaire: 'tthc-full', fields: ['dau-tu'], quality: 0.9, weight: 2 },
  { unit: PROVINCE_CENTER, code: 'DKKD', name: 'Quầy Đăng ký kinh doanh', questionnaire: 'tthc-short', fields: ['dang-ky-kinh-doanh'], quality: 0.95, weight: 4 },
  { unit: PROVINCE_CENTER, code: 'TP', name: 'Quầy Tư pháp', questionnaire: 'tthc-short', fields: ['tu-phap-ho-tich'], quality: 0.93, weight: 3 },
  { unit: PROVINCE_CENTER, code: 'LDXH', name: 'Quầy Lao động - Xã hội', questionnaire: 'tthc-short', fields: ['lao-dong-viec-lam', 'bao-tro-xa-hoi'], quality: 0.91, weight: 2 },
  { unit: PROVINCE_CENTER, code: 'GTVT', name: 'Quầy Đường bộ, đường thủy', questionnaire: 'tthc-short', fields: ['giao-thong-van-tai'], quality: 0.89, weight: 3 },
  { unit: PROVINCE_CENTER, code: 'NNMT', name: 'Quầy Nông nghiệp và Môi trường', questionnaire: 'tthc-short', fields: ['nong-nghiep-moi-truong'], quality: 0.9, weight: 2 },
  { unit: '16681', code: 'MC', name: 'Bộ phận Một cửa', questionnaire: 'tthc-short', fields: ONE_STOP_FIELDS, quality: 0.92, weight: 5 },
  { unit: '17920', code: 'MC', name: 'Bộ phận Một cửa', questionnaire: 'tthc-short', fields: ONE_STOP_FIELDS, quality: 0.87, weight: 4 },
  { unit: '17329', code: 'MC', name: 'Bộ phận Một cửa', questionnaire: 'tthc-short', fields: ONE_STOP_FIELDS, quality: 0.82, weight: 2 },
  { unit: '17254', code: 'MC', name: 'Bộ phận Một cửa', questionnaire: 'tthc-2023', fields: ONE_STOP_FIELDS, quality: 0.94, weight: 2 },
  { unit: 'benh-vien-huu-nghi-da-khoa-nghe-an', code: 'KKB', name: 'Khoa Khám bệnh', questionnaire: 'health', fields: ['y-te'], quality: 0.86, weight: 5 },
  { unit: 'truong-thpt-chuyen-phan-boi-chau', code: 'VP', name: 'Văn phòng nhà trường', questionnaire: 'education', fields: ['giao-duc'], quality: 0.91, weight: 2 },
];

const COMMENTS = [
  'Cán bộ hướng dẫn nhiệt tình, dễ hiểu.',
  'Thời gian chờ còn lâu, nên bố trí thêm người tiếp nhận vào buổi sáng.',
  'Cần thêm ghế ngồi ở khu vực chờ.',
  'Hồ sơ được trả đúng hẹn, cảm ơn trung tâm.',
  'Nên có hướng dẫn nộp hồ sơ trực tuyến rõ ràng hơn.',
  'Phải bổ sung giấy tờ nhiều lần, mong được hướng dẫn một lần cho đủ.',
  'Máy lấy số thứ tự hay bị lỗi.',
  'Thái độ phục vụ tốt, lịch sự.',
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

interface LoadedDesk {
  id: number;
  unitId: number;
  questionnaireId: number;
  fieldIds: number[];
  questions: Question[];
  spec: DemoDesk;
}

async function ensureDemoDesks(db: Kysely<Database>, now: string): Promise<LoadedDesk[]> {
  const loaded: LoadedDesk[] = [];
  for (const spec of DEMO_DESKS) {
    const unit = await db.selectFrom('units').select('id').where('code', '=', spec.unit).executeTakeFirst();
    if (!unit) throw new Error(`Demo unit ${spec.unit} is missing: the bundled units.csv must be imported first.`);
    const questionnaire = await latestQuestionnaire(db, spec.questionnaire);
    if (!questionnaire) throw new Error(`Demo questionnaire ${spec.questionnaire} is missing: reference data must be seeded first.`);
    const fields = await db.selectFrom('fields').select(['id', 'code']).where('code', 'in', spec.fields).execute();
    const fieldIds = spec.fields.map((code) => fields.find((f) => f.code === code)?.id ?? 0);
    const existing = await findDeskByCode(db, unit.id, spec.code);
    const id =
      existing?.id ?? (await createDesk(db, { unitId: unit.id, code: spec.code, name: spec.name, questionnaireId: questionnaire.id, fieldIds }, now));
    const questions = await db.selectFrom('questions').selectAll().where('questionnaire_id', '=', questionnaire.id).orderBy('position').execute();
    loaded.push({ id, unitId: unit.id, questionnaireId: questionnaire.id, fieldIds, questions, spec });
  }
  return loaded;
}

function rating(random: () => number, satisfied: number): number {
  if (random() < satisfied) return random() < 0.45 ? 5 : 4;
  const r = random();
  return r < 0.6 ? 3 : r < 0.9 ? 2 : 1;
}

function pickWeighted<T extends { spec: { weight: number } }>(random: () => number, items: T[], total: number): T {
  let r = random() * total;
  for (const item of items) {
    r -= item.spec.weight;
    if (r < 0) return item;
  }
  return items[items.length - 1] as T;
}

export interface DemoOptions {
  responses: number;
  now: Date;
  /** Local day of an instant (Asia/Ho_Chi_Minh); passed in because db/ imports nothing of ours. */
  localDay: (instant: Date) => string;
  /** The respondent-level summary of a response's ratings (analytics/, injected for the same reason). */
  summarize: (questions: Question[], ratings: ResponseInput['ratings']) => ResponseInput['summary'];
  seed?: number;
  onProgress?: (done: number) => void;
}

function synthesize(random: () => number, desk: LoadedDesk, submitted: Date, daysAgo: number, opts: DemoOptions): ResponseInput {
  // Quality drifts up by about two points over the year, and each citizen has a mood of their own.
  const mood = (random() - 0.5) * 0.12;
  const satisfied = Math.min(0.99, Math.max(0.3, desk.spec.quality - (daysAgo / 365) * 0.02 + mood));
  const ratings: ResponseInput['ratings'] = [];
  const choices: ResponseInput['choices'] = [];
  const comments: ResponseInput['comments'] = [];
  let criteriaSatisfied = 0;
  let criteriaAnswered = 0;
  for (const q of desk.questions) {
    if (q.role === 'criterion') {
      if (q.allow_no_opinion && random() < 0.03) {
        ratings.push({ questionId: q.id, value: null });
        continue;
      }
      const value = rating(random, satisfied);
      criteriaAnswered++;
      if (value >= 4) criteriaSatisfied++;
      ratings.push({ questionId: q.id, value });
    } else if (q.role === 'overall') {
      const share = criteriaAnswered > 0 ? criteriaSatisfied / criteriaAnswered : satisfied;
      ratings.push({ questionId: q.id, value: rating(random, 0.5 * share + 0.5 * satisfied) });
    } else if (q.type === 'multi_choice' || q.type === 'single_choice') {
      const options = JSON.parse(q.options_json ?? '[]') as { key: string }[];
      const max = q.type === 'single_choice' ? 1 : Math.min(q.max_choices ?? 3, 3);
      const count = q.type === 'single_choice' ? (random() < 0.8 ? 1 : 0) : Math.floor(random() * (max + 1));
      const chosen = new Set<string>();
      // Early options are the ones citizens care most about; skew towards them.
      while (chosen.size < count) chosen.add(options[Math.floor(random() ** 1.6 * options.length)]?.key ?? '');
      chosen.delete('');
      if (chosen.size > 0) choices.push({ questionId: q.id, optionKeys: [...chosen] });
    } else if (q.type === 'text' && random() < 0.08) {
      comments.push({ questionId: q.id, text: COMMENTS[Math.floor(random() * COMMENTS.length)] ?? '' });
    }
  }
  const channel: Channel = random() < 0.9 ? 'qr' : 'kiosk';
  return {
    nonce: randomBytes(16).toString('base64url'),
    questionnaireId: desk.questionnaireId,
    unitId: desk.unitId,
    deskId: desk.id,
    fieldId: desk.fieldIds[Math.floor(random() * desk.fieldIds.length)] ?? 0,
    channel,
    submittedAt: submitted.toISOString(),
    localDay: opts.localDay(submitted),
    lang: random() < 0.95 ? 'vi' : 'en',
    status: random() < 0.02 ? 'suspect' : 'ok',
    secondsTaken: 20 + Math.floor(random() * 120),
    ratings,
    choices,
    comments,
    summary: opts.summarize(desk.questions, ratings),
  };
}

export async function seedDemo(db: Kysely<Database>, opts: DemoOptions): Promise<{ desks: number; responses: number }> {
  const desks = await ensureDemoDesks(db, opts.now.toISOString());
  const random = seededRandom(opts.seed ?? 2025);
  const totalWeight = desks.reduce((sum, d) => sum + d.spec.weight, 0);
  const batchSize = 500;
  let done = 0;
  while (done < opts.responses) {
    const batch: ResponseInput[] = [];
    for (let i = 0; i < batchSize && done + batch.length < opts.responses; i++) {
      const desk = pickWeighted(random, desks, totalWeight);
      const daysAgo = Math.floor(random() * 365);
      // Office hours, 7:30 to 17:00 local time (00:30 to 10:00 UTC).
      const minutes = 30 + Math.floor(random() * 570);
      const submitted = new Date(opts.now.getTime() - daysAgo * 86_400_000);
      submitted.setUTCHours(0, minutes, Math.floor(random() * 60), 0);
      if (submitted > opts.now) submitted.setTime(opts.now.getTime() - Math.floor(random() * 3_600_000));
      batch.push(synthesize(random, desk, submitted, daysAgo, opts));
    }
    await recordResponses(db, batch);
    done += batch.length;
    opts.onProgress?.(done);
  }
  return { desks: desks.length, responses: done };
}
