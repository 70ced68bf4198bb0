/** The notifications page's texts; en must have exactly the keys of zhCN (the compiler checks). */
export const zhCN = {
  "nav.notifications": "消息通知",
} as const;

export const en: Record<keyof typeof zhCN, string> = {
  "nav.notifications": "Notifications",
};
