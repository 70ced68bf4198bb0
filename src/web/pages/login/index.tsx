import { GlobalOutlined, LockOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, Button, Form, Input } from "antd";
import { useEffect, useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { useLocale } from "../../locales";
import { useDemoInfo, useLogin, useSession } from "../../services/auth";
import { ApiError } from "../../services/http";
import { ChangePassword } from "./components/ChangePassword";

interface Credentials {
  username: string;
  password: string;
}

/** Seconds left of a throttled sign-in (429: the server's retryAfter), counting down to 0. */
function useRetryCountdown(error: unknown): number {
  const retryAfter =
    error instanceof ApiError && error.status === 429 && typeof error.problem.retryAfter === "number"
      ? error.problem.retryAfter
      : 0;
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (!retryAfter) return setLeft(0);
    const until = Date.now() + retryAfter * 1000;
    setLeft(retryAfter);
    const timer = setInterval(() => {
      const seconds = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setLeft(seconds);
      if (seconds === 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [retryAfter]);
  return left;
}

/**
 * Sign-in: the server's refusal (wrong password, throttled with the wait counted down) shown at the
 * form; a one-time password is changed here before anything else, against the policy shown as one types.
 */
export default function LoginPage() {
  const { t, lang, setLang } = useLocale();
  const session = useSession();
  const login = useLogin();
  const demo = useDemoInfo();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Credentials>();
  const from = params.get("from");
  const target = from?.startsWith("/") && !from.startsWith("//") ? from : "/home";
  const wait = useRetryCountdown(login.error);
  const mustChange = session.data?.user.mustChangePassword;
  if (session.data && !mustChange) return <Navigate to={target} replace />;
  const problem = login.error instanceof ApiError ? login.error.problem : undefined;
  const throttled = login.error instanceof ApiError && login.error.status === 429;

  return (
    <div className="login-page">
      <header className="login-top">
        <Button
          type="text"
          icon={<GlobalOutlined />}
          onClick={() => setLang(lang === "zh-CN" ? "en" : "zh-CN")}
        >
          {t("lang.switch")}
        </Button>
      </header>
      <main className="login-main">
        <div className="login-brand">
          <span className="login-logo" aria-hidden>
            考
          </span>
          <h1 className="login-title">{t("app.name")}</h1>
          <p className="login-subtitle">{t("login.subtitle")}</p>
        </div>
        {/* Plain panels, not antd's Card (which brings its tabs along): the sign-in page stays small. */}
        {session.data && mustChange ? (
          <ChangePassword
            username={session.data.user.username}
            onDone={() => navigate(target, { replace: true })}
          />
        ) : (
          <section className="login-card" aria-labelledby="login-title">
            <h2 className="login-card-title" id="login-title">
              {t("login.title")}
            </h2>
            {demo.data?.demo ? (
              <Alert type="warning" showIcon title={t("app.demoBanner")} className="login-alert" />
            ) : null}
            {problem ? (
              <Alert
                type={throttled ? "warning" : "error"}
                showIcon
                title={problem.title}
                description={
                  throttled
                    ? wait > 0
                      ? t("login.throttled.wait", { seconds: wait })
                      : t("login.throttled.ready")
                    : undefined
                }
                className="login-alert"
                role="alert"
              />
            ) : null}
            <Form
              form={form}
              layout="vertical"
              requiredMark={false}
              onFinish={(values) =>
                login.mutate(values, {
                  onSuccess: (reply) => {
                    if (!reply.user.mustChangePassword) navigate(target, { replace: true });
                  },
                })
              }
            >
              <Form.Item
                name="username"
                label={t("login.username")}
                rules={[{ required: true, message: t("login.required.username") }]}
              >
                <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
              </Form.Item>
              <Form.Item
                name="password"
                label={t("login.password")}
                rules={[{ required: true, message: t("login.required.password") }]}
              >
                <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
              </Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                block
                size="large"
                loading={login.isPending}
                disabled={throttled && wait > 0}
              >
                {throttled && wait > 0 ? `${t("login.submit")}（${wait}s）` : t("login.submit")}
              </Button>
            </Form>
          </section>
        )}
        {demo.data?.demo && !session.data ? (
          <section className="login-card login-demo" aria-labelledby="login-demo-title">
            <h2 className="login-card-title" id="login-demo-title">
              {t("login.demo.title")}
            </h2>
            <p>
              {t("login.demo.password")} <code className="login-demo-password">{demo.data.password}</code>
            </p>
            <ul className="login-demo-list">
              {demo.data.accounts.map((account) => (
                <li key={account.username}>
                  <span className="login-demo-user">{account.username}</span>
                  <span className="login-demo-role">{t(`role.${account.role}`)}</span>
                  <Button
                    size="small"
                    aria-label={`${t("login.demo.use")} ${account.username}`}
                    onClick={() =>
                      form.setFieldsValue({ username: account.username, password: demo.data?.password ?? "" })
                    }
                  >
                    {t("login.demo.use")}
                  </Button>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </main>
    </div>
  );
}
