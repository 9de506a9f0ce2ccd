/** Words of the unit picker and the ranking's sections per kind of unit, in both languages side by side. */
const vi = {
  'units.kind.department': 'Sở, ban, ngành',
  'units.kind.commune': 'Xã, phường',
  'units.kind.hospital': 'Bệnh viện',
  'units.kind.school': 'Trường học',
  'picker.search': 'Tìm đơn vị',
  'picker.search.button': 'Tìm',
  'picker.search.hint': 'Gõ một phần tên (có dấu hoặc không dấu) rồi bấm Tìm: ô Đơn vị chỉ còn các đơn vị khớp.',
  'picker.found': 'Có {n} đơn vị khớp với “{q}”.',
  'picker.none': 'Không có đơn vị nào khớp với “{q}”.',
  'ranking.target': 'So với chỉ tiêu “{indicator}”: trên {target}%.',
  'ranking.no.target': 'Chưa có chỉ tiêu áp dụng cho kỳ này.',
  'ranking.coverage': '{answered}/{total} đơn vị có phiếu trong kỳ.',
  'ranking.silent': 'Chưa có phiếu trong kỳ: {n} đơn vị',
  'ranking.compared': 'Kết luận đạt / chưa đạt trong bảng này đã tính đến việc so sánh cùng lúc {n} đơn vị đủ phiếu.',
} as const;

const en: Record<keyof typeof vi, string> = {
  'units.kind.department': 'Provincial departments and agencies',
  'units.kind.commune': 'Communes and wards',
  'units.kind.hospital': 'Hospitals',
  'units.kind.school': 'Schools',
  'picker.search': 'Find a unit',
  'picker.search.button': 'Find',
  'picker.search.hint': 'Type part of the name (with or without accents) and press Find: the Unit list keeps only the matching units.',
  'picker.found': '{n} units match “{q}”.',
  'picker.none': 'No unit matches “{q}”.',
  'ranking.target': 'Against the target “{indicator}”: above {target}%.',
  'ranking.no.target': 'No target applies to this period.',
  'ranking.coverage': '{answered}/{total} units have responses in the period.',
  'ranking.silent': 'No responses in the period: {n} units',
  'ranking.compared': 'Met / not met verdicts in this table allow for comparing several units at once (units with enough responses: {n}).',
};

export const unitLists = { vi, en };
