import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFieldTemplates, loadQuestionnaireTemplates, TemplateError } from '../db/seed/templates.ts';
import { describeUnitsProblem, loadBundledUnits, parseUnitsCsv, slugify } from '../db/seed/units.ts';
import { seedReferenceData } from '../db/seed/reference.ts';
import { startTestApp } from './support/app.ts';
import { DIALECTS } from './support/dialects.ts';
import { countRows } from './support/db.ts';

describe('questionnaire templates', () => {
  const templates = new Map(loadQuestionnaireTemplates().map((t) => [t.code, t]));
  const criteria = (code: string) => templates.get(code)?.questions.filter((q) => q.role === 'criterion') ?? [];

  it('ship tthc-short, tthc-full, tthc-2023, health and education', () => {
    expect([...templates.keys()].sort()).toEqual(['education', 'health', 'tthc-2023', 'tthc-full', 'tthc-short']);
  });

  it('tthc-short has one rating per SIPAS element, an overall rating, expectations and a comment', () => {
    expect(criteria('tthc-short').map((q) => q.element)).toEqual(['A', 'B', 'C', 'D', 'E']);
    const roles = templates.get('tthc-short')?.questions.map((q) => q.role);
    expect(roles).toEqual(['criterion', 'criterion', 'criterion', 'criterion', 'criterion', 'overall', 'expectation', 'comment']);
  });

  it('tthc-full has the 22 criteria of the 2017 method in 5 elements (4, 5, 6, 3, 4)', () => {
    const counts = ['A', 'B', 'C', 'D', 'E'].map((e) => criteria('tthc-full').filter((q) => q.element === e).length);
    expect(counts).toEqual([4, 5, 6, 3, 4]);
  });

  it('tthc-2023 has the 16 service criteria of the 2023 method (3, 4, 3, 3, 3)', () => {
    const counts = ['A', 'B', 'C', 'D', 'E'].map((e) => criteria('tthc-2023').filter((q) => q.element === e).length);
    expect(counts).toEqual([3, 4, 3, 3, 3]);
  });

  it('health has sections A to E, an overall rating and "would you come back"', () => {
    const health = templates.get('health');
    expect(health?.elements.map((e) => e.code)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(health?.questions.find((q) => q.key === 'come_back')?.type).toBe('single_choice');
    expect(health?.questions.some((q) => q.role === 'overall')).toBe(true);
  });

  it('education has five contents and an overall rating', () => {
    expect(new Set(criteria('education').map((q) => q.element)).size).toBe(5);
    expect(templates.get('education')?.questions.some((q) => q.role === 'overall')).toBe(true);
  });
});

describe('questionnaire versions', () => {
  const all = loadQuestionnaireTemplates();
  const latest = [...new Map(all.map((t) => [t.code, t])).values()];

  it('every version of every template names each question in a few words for charts, in both languages', () => {
    for (const t of all) {
      for (const q of t.questions) {
        expect(q.short_vi, `${t.code} v${t.version} ${q.key}`).toMatch(/^\S.{1,39}$/);
        expect(q.short_en, `${t.code} v${t.version} ${q.key}`).toMatch(/^\S.{1,39}$/);
      }
    }
  });

  it('the newest versions leave "optional" and the choice limit to the form, and ask no trust question on a satisfaction scale', () => {
    expect(latest.map((t) => `${t.code} v${t.version}`).sort()).toEqual(['education v2', 'health v2', 'tthc-2023 v2', 'tthc-full v2', 'tthc-short v2']);
    for (const t of latest) {
      for (const q of t.questions) {
        expect(`${q.vi} | ${q.en}`).not.toMatch(/bắt buộc|tối đa|optional|up to \d/i);
        if (q.type === 'rating5') expect(q.vi).not.toMatch(/tin tưởng/);
      }
    }
    expect(latest.find((t) => t.code === 'education')?.questions.some((q) => q.vi.includes('Ông/Bà'))).toBe(false);
  });

  describe('a mistake in a template file names the file and the fix', () => {
    const source = readFileSync(join(import.meta.dirname, '../db/seed/questionnaires/tthc-short.v2.json'), 'utf8');
    function loadOne(name: string, edit: (t: { version: number; questions: Record<string, unknown>[] }) => void): () => unknown {
      const dir = mkdtempSync(join(tmpdir(), 'sipas-templates-'));
      const t = JSON.parse(source) as { version: number; questions: Record<string, unknown>[] };
      edit(t);
      writeFileSync(join(dir, name), JSON.stringify(t));
      return () => {
        try {
          return loadQuestionnaireTemplates(dir);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      };
    }

    it('a file whose name is not its code and version', () => {
      expect(loadOne('tthc-short.json', () => undefined)).toThrow(TemplateError);
      expect(loadOne('tthc-short.v2.json', (t) => (t.version = 3))).toThrow(/tthc-short\.v2\.json: holds tthc-short version 3, so it must be named tthc-short\.v3\.json/);
    });

    it('a short label that is too long, or given in one language only', () => {
      expect(loadOne('tthc-short.v2.json', (t) => (t.questions[0]!.short_vi = 'x'.repeat(41)))).toThrow(/at questions\.0\.short_vi: .*40/);
      expect(loadOne('tthc-short.v2.json', (t) => delete t.questions[1]!.short_en)).toThrow(/tthc-short\.v2\.json: at questions\.1: give short_vi and short_en together, or neither/);
    });
  });
});

describe('fields', () => {
  it('cover the service areas of a one-stop center, health and education, in both languages', () => {
    const fields = loadFieldTemplates();
    const codes = fields.map((f) => f.code);
    for (const code of ['dat-dai', 'xay-dung', 'dau-tu', 'dang-ky-kinh-doanh', 'tu-phap-ho-tich', 'lao-dong-viec-lam', 'bao-tro-xa-hoi', 'giao-thong-van-tai', 'nong-nghiep-moi-truong', 'hanh-chinh-khac', 'y-te', 'giao-duc']) {
      expect(codes).toContain(code);
    }
    expect(fields.find((f) => f.code === 'y-te')?.group).toBe('health');
    expect(fields.find((f) => f.code === 'giao-duc')?.group).toBe('education');
    expect(fields.every((f) => f.vi !== f.en)).toBe(true);
  });
});

describe('units', () => {
  it('the bundled list has the province, 130 commune-level units with official codes, hospitals and schools', () => {
    const units = loadBundledUnits();
    expect(units).toHaveLength(164);
    expect(units.filter((u) => u.kind === 'commune' || u.kind === 'ward')).toHaveLength(130);
    expect(units.find((u) => u.code === '16681')?.name).toBe('Phường Thành Vinh');
    expect(units.find((u) => u.name === 'Sở Tư pháp')?.code).toBe('so-tu-phap');
  });

  it('slugify drops Vietnamese marks and đ', () => {
    expect(slugify('Bệnh viện Hữu nghị Đa khoa Nghệ An')).toBe('benh-vien-huu-nghi-da-khoa-nghe-an');
  });

  it('a bad line names the file, the line and the fix', () => {
    const { problems } = parseUnitsCsv('code,name,kind,parent_code\n1,A,province,\n2,B,castle,1\n');
    expect(problems).toEqual([{ line: 3, problem: 'kind.unknown', kind: 'castle' }]);
    expect(describeUnitsProblem(problems[0]!)).toMatch(/kind "castle" is unknown; use one of/);
  });
});

describe.each(DIALECTS)('seeding reference data on %s', (dialect) => {
  it('gives the short labels to a version seeded before they existed, unless its words or labels were changed since', async () => {
    const t = await startTestApp(dialect);
    try {
      const v1 = await t.db.selectFrom('questionnaires').select('id').where('code', '=', 'tthc-short').where('version', '=', 1).executeTakeFirstOrThrow();
      const full = await t.db.selectFrom('questionnaires').select('id').where('code', '=', 'tthc-full').where('version', '=', 1).executeTakeFirstOrThrow();
      // As the previous release seeded them: no short labels; one question of v1 reworded while it was still open.
      await t.db.updateTable('questions').set({ short_vi: null, short_en: null }).where('questionnaire_id', 'in', [v1.id, full.id]).execute();
      await t.db.updateTable('questions').set({ text_vi: 'Nơi ngồi chờ, dễ tìm' }).where('questionnaire_id', '=', v1.id).where('key', '=', 'a').execute();
      // tthc-full v1: an administrator labelled one question and left the rest to the full text.
      await t.db.updateTable('questions').set({ short_vi: 'Chỗ ngồi', short_en: 'Seats' }).where('questionnaire_id', '=', full.id).where('key', '=', 'a1').execute();

      await seedReferenceData(t.db);
      const labels = async (id: number) =>
        Object.fromEntries((await t.db.selectFrom('questions').select(['key', 'short_vi']).where('questionnaire_id', '=', id).execute()).map((q) => [q.key, q.short_vi]));
      const short = await labels(v1.id);
      expect(short).toMatchObject({ a: null, b: 'Thủ tục hành chính', c: 'Công chức giải quyết', overall: 'Đánh giá chung', comment: 'Góp ý khác' });
      const fullLabels = await labels(full.id);
      expect(fullLabels.a1).toBe('Chỗ ngồi');
      expect(fullLabels.a2).toBeNull();
    } finally {
      await t.close();
    }
  });

  it('is idempotent: a second start adds nothing', async () => {
    const t = await startTestApp(dialect);
    try {
      const before = await Promise.all((['fields', 'questionnaires', 'questions', 'units'] as const).map((x) => countRows(t.db, x)));
      expect(await seedReferenceData(t.db)).toEqual({ fields: 0, questionnaires: 0, units: 0, targets: 0 });
      const after = await Promise.all((['fields', 'questionnaires', 'questions', 'units'] as const).map((x) => countRows(t.db, x)));
      expect(after).toEqual(before);
      expect(before[3]).toBe(164);
    } finally {
      await t.close();
    }
  });
});
