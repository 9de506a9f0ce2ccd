import { describe, expect, it } from 'vitest';
import { loadFieldTemplates, loadQuestionnaireTemplates } from '../db/seed/templates.ts';
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
