/** The accounts and roles page's texts; en must have exactly the keys of zhCN (the compiler checks). */
export const zhCN = {
  "nav.accounts": "账号与角色",
} as const;

export const en: Record<keyof typeof zhCN, string> = {
  "nav.accounts": "Accounts and roles",
};
