/**
 * Why: the dossier counts reach the exports and the public page (issue 20, item 5) with their own
 * words: a dossier target is met or not met on every dossier counted, never "inconclusive", and the
 * public must read that these are the one-stop software's counts, not survey results.
 */
const vi = {
  'dossierfig.verdict.met': 'Đạt (đếm toàn bộ hồ sơ)',
  'dossierfig.verdict.met.nothing_owed': 'Đạt (không có hồ sơ quá hạn)',
  'dossierfig.verdict.not_met': 'Chưa đạt',
  'dossierfig.verdict.none': 'Không có chỉ tiêu',
  'public.dossiers.title': 'Hồ sơ thủ tục hành chính',
  'public.dossiers.counted':
    'Tỷ lệ hồ sơ giải quyết đúng hạn và giải quyết trực tuyến dưới đây là số đếm toàn bộ hồ sơ từ phần mềm một cửa, không phải kết quả khảo sát; theo số liệu phần mềm một cửa hiện có, kể cả khi được điều chỉnh sau.',
  'public.dossiers.by.kind': 'Hồ sơ theo loại cơ quan, đơn vị',
  'public.dossiers.by.field': 'Hồ sơ theo lĩnh vực',
  'public.dossiers.col.kind': 'Loại cơ quan, đơn vị',
  'public.dossiers.col.field': 'Lĩnh vực',
  'public.dossiers.col.resolved': 'Hồ sơ đã giải quyết',
  'public.dossiers.col.on_time': 'Đúng hạn (chỉ tiêu: từ {target}%)',
  'public.dossiers.col.online': 'Trực tuyến (chỉ tiêu: từ {target}%)',
  'public.dossiers.col.on_time.none': 'Đúng hạn (chưa có chỉ tiêu)',
  'public.dossiers.col.online.none': 'Trực tuyến (chưa có chỉ tiêu)',
  'public.dossiers.met': 'Đạt chỉ tiêu',
  'public.dossiers.not_met': 'Chưa đạt chỉ tiêu',
};

const en: Record<keyof typeof vi, string> = {
  'dossierfig.verdict.met': 'Met (every dossier counted)',
  'dossierfig.verdict.met.nothing_owed': 'Met (no late dossier)',
  'dossierfig.verdict.not_met': 'Not met',
  'dossierfig.verdict.none': 'No target set',
  'public.dossiers.title': 'Administrative dossiers',
  'public.dossiers.counted':
    'The shares of dossiers resolved on time and resolved online below count every dossier in the one-stop software; they are not survey results, and follow the one-stop software’s figures as they stand, corrections included.',
  'public.dossiers.by.kind': 'Dossiers by kind of office',
  'public.dossiers.by.field': 'Dossiers by field',
  'public.dossiers.col.kind': 'Kind of office',
  'public.dossiers.col.field': 'Field',
  'public.dossiers.col.resolved': 'Dossiers resolved',
  'public.dossiers.col.on_time': 'On time (target: at least {target}%)',
  'public.dossiers.col.online': 'Online (target: at least {target}%)',
  'public.dossiers.col.on_time.none': 'On time (no target set)',
  'public.dossiers.col.online.none': 'Online (no target set)',
  'public.dossiers.met': 'Target met',
  'public.dossiers.not_met': 'Target not met',
};

export const dossierFigures = { vi, en };
