/** The review page's texts; en must have exactly the keys of zhCN (the compiler checks). */
export const zhCN = {
  "nav.review": "审核",
} as const;

export const en: Record<keyof typeof zhCN, string> = {
  "nav.review": "Review",
};
