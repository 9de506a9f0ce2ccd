/** Words of the exports, the printable report and the public results page, in both languages side by side. */
const vi = {
  'reports.placeholder': 'Báo cáo',
} as const;

const en: Record<keyof typeof vi, string> = {
  'reports.placeholder': 'Reports',
};

export const reports = { vi, en };
