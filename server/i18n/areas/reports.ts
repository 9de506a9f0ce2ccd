/** Words of the exports, the printable report and the public results page, in both languages side by side. */
const vi = {
  'reports.month': 'Tháng {month}',
  'reports.export.group': 'Tham số group="{group}" không hợp lệ. Dùng một trong: {groups}.',
} as const;

const en: Record<keyof typeof vi, string> = {
  'reports.month': 'Month {month}',
  'reports.export.group': 'There is no grouping "{group}". Use one of: {groups}.',
};

export const reports = { vi, en };
