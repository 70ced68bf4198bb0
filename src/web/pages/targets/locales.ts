/** The targets page's texts; en must have exactly the keys of zhCN (the compiler checks). */
export const zhCN = {
  "nav.targets": "目标管理",
} as const;

export const en: Record<keyof typeof zhCN, string> = {
  "nav.targets": "Targets",
};
