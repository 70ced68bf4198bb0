import { CheckCircleFilled, CloseCircleOutlined } from "@ant-design/icons";
import type { PasswordPolicy } from "../../../../server/modules/auth/schema.js";
import { useLocale } from "../../../locales";

/** The server's password policy, each rule marked met or not as the new password is typed. */
export function PasswordRules({
  policy,
  password,
  username,
}: {
  policy: PasswordPolicy;
  password: string;
  username: string;
}) {
  const { t } = useLocale();
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
  const rules = [
    {
      key: "length",
      text: t("login.policy.length", { n: policy.minLength }),
      met: password.length >= policy.minLength,
    },
    {
      key: "classes",
      text: t("login.policy.classes", { n: policy.minClasses }),
      met: classes >= policy.minClasses,
    },
    ...(policy.notUsername
      ? [
          {
            key: "username",
            text: t("login.policy.username"),
            met: password.length > 0 && !password.toLowerCase().includes(username.toLowerCase()),
          },
        ]
      : []),
  ];
  return (
    <div className="password-rules" aria-live="polite">
      <div className="password-rules-title" id="password-rules-title">
        {t("login.policy.title")}
      </div>
      <ul aria-labelledby="password-rules-title">
        {rules.map((rule) => (
          <li
            key={rule.key}
            className={rule.met ? "password-rule met" : "password-rule"}
            data-rule={rule.key}
          >
            {rule.met ? <CheckCircleFilled aria-hidden /> : <CloseCircleOutlined aria-hidden />}
            <span>{rule.text}</span>
            <span className="visually-hidden">
              （{rule.met ? t("login.policy.met") : t("login.policy.unmet")}）
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
