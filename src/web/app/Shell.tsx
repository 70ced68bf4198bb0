import { GlobalOutlined, LogoutOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Dropdown, Layout, Menu, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { Navigate, Outlet, useLocation, useNavigate } from "react-router";
import { can } from "../access";
import { PageLoading } from "../components/PageLoading";
import { useLocale, usePageMessages } from "../locales";
import { NotificationBell } from "../pages/notifications/components/NotificationBell";
import { useDemoInfo, useLogout, useSession } from "../services/auth";
import { onSessionExpired } from "../services/http";
import { navigation } from "./navigation";
import { ReLoginModal } from "./ReLoginModal";

export default function Shell() {
  const { t, lang, setLang } = useLocale();
  const session = useSession();
  const demo = useDemoInfo();
  const logout = useLogout();
  const location = useLocation();
  const navigate = useNavigate();
  const [expired, setExpired] = useState(false);
  useEffect(() => onSessionExpired(() => setExpired(true)), []);
  // The pages' texts come in their own chunk (not the sign-in page's): the shell waits for them.
  const pagesReady = usePageMessages();

  if (session.isPending || !pagesReady) return <PageLoading />;
  if (!session.data) return <Navigate to={`/login?from=${encodeURIComponent(location.pathname)}`} replace />;
  // A one-time password is changed on the sign-in page before anything else (the API refuses the rest).
  if (session.data.user.mustChangePassword) return <Navigate to="/login" replace />;
  const { user } = session.data;
  const items = navigation
    .filter((n) => !n.action || can(user.roles, n.action))
    .map((n) => ({ key: n.path, icon: n.icon, label: t(n.label) }));

  return (
    <AntApp component={false}>
      <Layout className="shell">
        <Layout.Header className="shell-header">
          <div className="shell-brand">
            <span className="shell-logo" aria-hidden>
              考
            </span>
            <Typography.Text className="shell-title">{t("app.name")}</Typography.Text>
          </div>
          <Space size="middle">
            <NotificationBell />
            <Button
              type="text"
              className="shell-header-button"
              icon={<GlobalOutlined />}
              onClick={() => setLang(lang === "zh-CN" ? "en" : "zh-CN")}
            >
              {t("lang.switch")}
            </Button>
            <Dropdown
              menu={{
                items: [{ key: "logout", icon: <LogoutOutlined />, label: t("user.logout") }],
                onClick: () => logout.mutate(undefined, { onSettled: () => navigate("/login") }),
              }}
            >
              <Button type="text" className="shell-header-button" icon={<UserOutlined />}>
                {user.displayName}
                <span className="shell-roles">{user.roles.map((r) => t(`role.${r}`)).join("、")}</span>
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        {demo.data?.demo ? <Alert type="warning" banner title={t("app.demoBanner")} /> : null}
        <Layout>
          <Layout.Sider width={208} theme="light" breakpoint="lg" collapsedWidth={56} className="shell-sider">
            <nav aria-label={t("app.name")}>
              <Menu
                mode="inline"
                // A page's own sub-pages (/plans/:id) keep its entry highlighted.
                selectedKeys={navigation
                  .filter((n) => location.pathname === n.path || location.pathname.startsWith(`${n.path}/`))
                  .map((n) => n.path)}
                items={items}
                onClick={({ key }) => navigate(key)}
              />
            </nav>
          </Layout.Sider>
          <Layout.Content className="shell-content">
            <main>
              <Outlet />
            </main>
          </Layout.Content>
        </Layout>
        <ReLoginModal open={expired} username={user.username} onDone={() => setExpired(false)} />
      </Layout>
    </AntApp>
  );
}
