/** The expert marking page's texts; en must have exactly the keys of zhCN (the compiler checks). */
export const zhCN = {
  "nav.marks": "专家评分",
} as const;

export const en: Record<keyof typeof zhCN, string> = {
  "nav.marks": "Expert marking",
};
