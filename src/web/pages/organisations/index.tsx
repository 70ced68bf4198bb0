import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Empty, Skeleton, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import type { Organisation } from "../../../server/modules/organisations/schema.js";
import { ExportTable } from "../../components/ExportTable";
import { useLocale } from "../../locales";
import { ApiError } from "../../services/http";
import { type OrganisationNode, organisationTree, useOrganisations } from "../../services/organisations";
import { OrganisationForm } from "./components/OrganisationForm";

const kindColour = { city: "red", district: "orange", department: "blue", office: "green" } as const;

/** The unit tree (system administrator): create and edit units, the code fixed once created. */
export default function OrganisationsPage() {
  const { t } = useLocale();
  const { message } = App.useApp();
  const organisations = useOrganisations();
  const all = organisations.data?.items ?? [];
  const tree = useMemo(() => organisationTree(organisations.data?.items ?? []), [organisations.data]);
  const [form, setForm] = useState<{ open: boolean; editing?: Organisation }>({ open: false });
  // Every branch open until the user folds one (a unit moved under a new parent shows at once).
  const [folded, setFolded] = useState<readonly string[]>([]);
  const parents = all.filter((o) => all.some((c) => c.parentId === o.id)).map((o) => o.id);

  return (
    <div className="page">
      <Typography.Title level={2}>{t("nav.organisations")}</Typography.Title>
      <p className="admin-note">{t("organisations.intro")}</p>
      <Card>
        <div className="admin-toolbar">
          <span>{organisations.data ? t("organisations.count", { n: organisations.data.total }) : null}</span>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ open: true })}>
            {t("organisations.create")}
          </Button>
        </div>
        {organisations.isPending ? (
          <Skeleton active />
        ) : organisations.isError ? (
          <Alert
            type="error"
            showIcon
            title={t("error.load")}
            description={
              organisations.error instanceof ApiError ? organisations.error.problem.title : undefined
            }
          />
        ) : tree.length === 0 ? (
          <Empty description={t("organisations.empty")} />
        ) : (
          <ExportTable<OrganisationNode>
            exportTitle={[t("nav.organisations")]}
            rowKey="id"
            size="middle"
            dataSource={tree}
            pagination={false}
            expandable={{
              expandedRowKeys: parents.filter((id) => !folded.includes(id)),
              onExpand: (open, o) => setFolded((f) => (open ? f.filter((id) => id !== o.id) : [...f, o.id])),
            }}
            columns={[
              { title: t("organisations.col.name"), dataIndex: "name", key: "name" },
              {
                title: t("organisations.col.code"),
                dataIndex: "code",
                key: "code",
                render: (code: string) => <span className="admin-mono">{code}</span>,
              },
              { title: t("organisations.col.nameEn"), dataIndex: "nameEn", key: "nameEn" },
              {
                title: t("organisations.col.kind"),
                dataIndex: "kind",
                key: "kind",
                render: (kind: Organisation["kind"]) => (
                  <Tag color={kindColour[kind]}>{t(`organisations.kind.${kind}`)}</Tag>
                ),
              },
              {
                title: t("organisations.col.actions"),
                key: "actions",
                width: 120,
                render: (_, o) => (
                  <Button
                    color="primary"
                    variant="link"
                    icon={<EditOutlined />}
                    aria-label={`${t("organisations.edit")} ${o.name}`}
                    onClick={() => setForm({ open: true, editing: o })}
                  >
                    {t("organisations.edit")}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Card>
      <OrganisationForm
        open={form.open}
        editing={form.editing}
        all={all}
        onClose={(saved) => {
          setForm({ open: false });
          if (saved) message.success(t("organisations.saved"));
        }}
      />
    </div>
  );
}
