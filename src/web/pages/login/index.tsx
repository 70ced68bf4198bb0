import { GlobalOutlined, LockOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, Button, Form, Input } from "antd";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { useLocale } from "../../locales";
import { useDemoInfo, useLogin, useSession } from "../../services/auth";
import { ApiError } from "../../services/http";

interface Credentials {
  username: string;
  password: string;
}

/** Sign-in: the server's refusal (wrong password, locked, throttled) shown at the form. */
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
  if (session.data) return <Navigate to={target} replace />;
  const problem = login.error instanceof ApiError ? login.error.problem : undefined;

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
        <section className="login-card" aria-labelledby="login-title">
          <h2 className="login-card-title" id="login-title">
            {t("login.title")}
          </h2>
          {demo.data?.demo ? (
            <Alert type="warning" showIcon title={t("app.demoBanner")} className="login-alert" />
          ) : null}
          {problem ? (
            <Alert type="error" showIcon title={problem.title} className="login-alert" role="alert" />
          ) : null}
          <Form
            form={form}
            layout="vertical"
            requiredMark={false}
            onFinish={(values) =>
              login.mutate(values, { onSuccess: () => navigate(target, { replace: true }) })
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
            <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
              {t("login.submit")}
            </Button>
          </Form>
        </section>
        {demo.data?.demo ? (
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
