/** The organisations page's texts; en must have exactly the keys of zhCN (the compiler checks). */
export const zhCN = {
  "nav.organisations": "组织机构",
} as const;

export const en: Record<keyof typeof zhCN, string> = {
  "nav.organisations": "Organisations",
};
