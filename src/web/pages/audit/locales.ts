/** The audit log page's texts; en must have exactly the keys of zhCN (the compiler checks). */
export const zhCN = {
  "nav.audit": "审计日志",
} as const;

export const en: Record<keyof typeof zhCN, string> = {
  "nav.audit": "Audit log",
};
