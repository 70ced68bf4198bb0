import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Skeleton, Space, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router";
import type { PlanView } from "../../../../server/modules/plans/schema.js";
import { ExportTable } from "../../../components/ExportTable";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { useLocale } from "../../../locales";
import { usePlans } from "../../../services/plans";
import { CreatePlanModal } from "./CreatePlanModal";
import { PlanStatusTag } from "./PlanStatusTag";

/** Every plan with its version and status; a new one from a kaohe-plan/1 document. */
export function PlanList() {
  const { t } = useLocale();
  const plans = usePlans();
  const [creating, setCreating] = useState(false);
  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={2}>{t("plans.title")}</Typography.Title>
        <Space>
          <Link to="/designer">{t("designer.openNew")}</Link>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("plans.create")}
          </Button>
        </Space>
      </div>
      <Card>
        {plans.isPending ? (
          <Skeleton active />
        ) : plans.isError ? (
          <ProblemAlert error={plans.error} title={t("error.load")} />
        ) : plans.data.items.length === 0 ? (
          <Empty description={t("plans.empty")} />
        ) : (
          <ExportTable<PlanView>
            exportTitle={[t("plans.title")]}
            rowKey="planId"
            pagination={false}
            dataSource={plans.data.items}
            columns={[
              {
                title: t("plans.col.name"),
                dataIndex: "name",
                render: (name: string, p) => <Link to={`/plans/${p.planId}`}>{name}</Link>,
              },
              { title: t("plans.col.code"), dataIndex: "code" },
              {
                title: t("plans.col.version"),
                dataIndex: "version",
                render: (v: number) => `v${v}`,
                width: 90,
              },
              {
                title: t("plans.col.status"),
                dataIndex: "status",
                width: 110,
                render: (s: PlanView["status"]) => <PlanStatusTag status={s} />,
              },
              {
                title: t("plans.col.units"),
                dataIndex: "units",
                width: 110,
                render: (u: string[]) => t("plans.units", { n: u.length }),
              },
            ]}
          />
        )}
      </Card>
      <CreatePlanModal open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
