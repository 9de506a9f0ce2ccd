/** Words of the administration pages (/admin), in both languages side by side. */
const vi = {
  'admin.title': 'Quản trị',
} as const;

const en: Record<keyof typeof vi, string> = {
  'admin.title': 'Administration',
};

export const admin = { vi, en };
