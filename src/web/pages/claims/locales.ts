/** The bonus and penalty page's texts; en must have exactly the keys of zhCN (the compiler checks). */
export const zhCN = {
  "nav.claims": "加减分事项",
} as const;

export const en: Record<keyof typeof zhCN, string> = {
  "nav.claims": "Bonus and penalty",
};
