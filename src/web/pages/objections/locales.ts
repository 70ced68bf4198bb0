/** The objections page's texts; en must have exactly the keys of zhCN (the compiler checks). */
export const zhCN = {
  "nav.objections": "异议处理",
} as const;

export const en: Record<keyof typeof zhCN, string> = {
  "nav.objections": "Objections",
};
