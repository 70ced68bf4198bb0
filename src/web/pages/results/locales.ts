/** The results page's texts; en must have exactly the keys of zhCN (the compiler checks). */
export const zhCN = {
  "nav.results": "考核结果",
} as const;

export const en: Record<keyof typeof zhCN, string> = {
  "nav.results": "Results",
};
