/** The plans page's texts; en must have exactly the keys of zhCN (the compiler checks). */
export const zhCN = {
  "nav.plans": "考核方案",
} as const;

export const en: Record<keyof typeof zhCN, string> = {
  "nav.plans": "Plans",
};
