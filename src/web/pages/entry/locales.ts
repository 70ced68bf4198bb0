/** The data entry page's texts; en must have exactly the keys of zhCN (the compiler checks). */
export const zhCN = {
  "nav.entry": "数据填报",
} as const;

export const en: Record<keyof typeof zhCN, string> = {
  "nav.entry": "Data entry",
};
