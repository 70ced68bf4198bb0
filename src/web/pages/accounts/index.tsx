import { PlusOutlined, SafetyOutlined, UnlockOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Empty, Input, Popconfirm, Space, Tag, Typography } from "antd";
import { useState } from "react";
import type { User } from "../../../server/modules/users/schema.js";
import { can } from "../../access";
import { ExportTable } from "../../components/ExportTable";
import { useLocale } from "../../locales";
import { useSession } from "../../services/auth";
import { ApiError } from "../../services/http";
import { useOrganisations } from "../../services/organisations";
import { useUnlock, useUsers } from "../../services/users";
import { CreateAccount } from "./components/CreateAccount";
import { RolesForm } from "./components/RolesForm";

const PAGE_SIZE = 20;

/**
 * Accounts (system and security administrators). 三员分立 made visible: each administrator is offered
 * only their own actions: the system administrator creates accounts, the security administrator
 * grants roles and unlocks; the server refuses the rest anyway.
 */
export default function AccountsPage() {
  const { t } = useLocale();
  const { message } = App.useApp();
  const session = useSession();
  const me = session.data?.user;
  const roles = me?.roles ?? [];
  const mayCreate = can(roles, "users.create");
  const mayGrant = can(roles, "users.roles");
  const mayUnlock = can(roles, "users.unlock");
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const users = useUsers({ page, pageSize: PAGE_SIZE, ...(q ? { q } : {}) });
  const organisations = useOrganisations();
  const orgName = new Map((organisations.data?.items ?? []).map((o) => [o.id, o.name]));
  const unlock = useUnlock();
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<User>();
  const intro = mayCreate ? "accounts.intro.system_admin" : "accounts.intro.security_admin";

  return (
    <div className="page">
      <Typography.Title level={2}>{t("nav.accounts")}</Typography.Title>
      <p className="admin-note">{t(intro)}</p>
      <Card>
        <div className="admin-toolbar">
          <Input.Search
            allowClear
            aria-label={t("accounts.search")}
            placeholder={t("accounts.search")}
            onSearch={(value) => {
              setQ(value.trim());
              setPage(1);
            }}
          />
          {mayCreate ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t("accounts.create")}
            </Button>
          ) : null}
        </div>
        {users.isError ? (
          <Alert
            type="error"
            showIcon
            title={t("error.load")}
            description={users.error instanceof ApiError ? users.error.problem.title : undefined}
          />
        ) : (
          <ExportTable<User>
            exportTitle={[t("nav.accounts")]}
            rowKey="id"
            size="middle"
            loading={users.isPending || users.isFetching}
            dataSource={users.data?.items ?? []}
            locale={{ emptyText: <Empty description={t("accounts.empty")} /> }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: users.data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (n) => t("accounts.total", { n }),
              onChange: setPage,
            }}
            columns={[
              {
                title: t("accounts.col.username"),
                dataIndex: "username",
                key: "username",
                render: (name: string, u) => (
                  <span className="admin-mono">
                    {name}
                    {u.id === me?.id ? t("accounts.self") : ""}
                  </span>
                ),
              },
              { title: t("accounts.col.displayName"), dataIndex: "displayName", key: "displayName" },
              {
                title: t("accounts.col.organisation"),
                key: "organisation",
                render: (_, u) => (u.organisationId ? (orgName.get(u.organisationId) ?? "") : "—"),
              },
              {
                title: t("accounts.col.roles"),
                key: "roles",
                render: (_, u) =>
                  u.roles.length ? (
                    <Space size={[4, 4]} wrap>
                      {u.roles.map((r) => (
                        <Tag key={r} color={r.endsWith("_admin") ? "red" : "blue"}>
                          {t(`role.${r}`)}
                        </Tag>
                      ))}
                    </Space>
                  ) : (
                    <span className="admin-muted">{t("accounts.noRoles")}</span>
                  ),
              },
              {
                title: t("accounts.col.state"),
                key: "state",
                render: (_, u) =>
                  u.locked ? (
                    <Tag color="orange">{t("accounts.locked")}</Tag>
                  ) : (
                    <Tag>{t("accounts.active")}</Tag>
                  ),
              },
              ...(mayGrant || mayUnlock
                ? [
                    {
                      title: t("accounts.col.actions"),
                      key: "actions",
                      render: (_: unknown, u: User) => (
                        <Space>
                          {mayGrant && u.id !== me?.id ? (
                            <Button
                              color="primary"
                              variant="link"
                              icon={<SafetyOutlined />}
                              aria-label={`${t("accounts.roles")} ${u.username}`}
                              onClick={() => setGranting(u)}
                            >
                              {t("accounts.roles")}
                            </Button>
                          ) : null}
                          {mayUnlock && u.locked ? (
                            <Popconfirm
                              title={t("accounts.unlock.confirm", { name: u.username })}
                              okText={t("accounts.save")}
                              cancelText={t("accounts.cancel")}
                              onConfirm={() =>
                                unlock.mutateAsync(u.id).then(
                                  () => message.success(t("accounts.unlocked")),
                                  (e) => message.error(e instanceof ApiError ? e.problem.title : String(e)),
                                )
                              }
                            >
                              <Button
                                color="primary"
                                variant="link"
                                icon={<UnlockOutlined />}
                                aria-label={`${t("accounts.unlock")} ${u.username}`}
                              >
                                {t("accounts.unlock")}
                              </Button>
                            </Popconfirm>
                          ) : null}
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>
      {mayCreate ? (
        <CreateAccount
          open={creating}
          organisations={organisations.data?.items ?? []}
          onClose={() => setCreating(false)}
        />
      ) : null}
      {mayGrant ? (
        <RolesForm
          user={granting}
          onClose={(saved) => {
            setGranting(undefined);
            if (saved) message.success(t("accounts.roles.saved"));
          }}
        />
      ) : null}
    </div>
  );
}
