import type { Lang } from "../../../engine/index.js";

/** The policy's parameters, served to the web app (GET /auth/password-policy) so it shows them as one types. */
export const passwordPolicy = { minLength: 12, minClasses: 3, notUsername: true } as const;

/**
 * The password policy (等保 practice): at least 12 characters, at least three of lower case, upper
 * case, digits and symbols, and not containing the user name. Returns what is wrong, or null.
 */
export function checkPasswordPolicy(password: string, username: string): Record<Lang, string> | null {
  if (password.length < passwordPolicy.minLength)
    return { "zh-CN": "密码至少 12 位", en: "the password needs at least 12 characters" };
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
  if (classes < passwordPolicy.minClasses) {
    return {
      "zh-CN": "密码须包含小写字母、大写字母、数字、符号中的至少三类",
      en: "the password needs three of: lower case, upper case, digits, symbols",
    };
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    return { "zh-CN": "密码不能包含用户名", en: "the password must not contain the user name" };
  }
  return null;
}
