import { Button, Card, Empty, Skeleton, Tag, Typography } from "antd";
import { useState } from "react";
import { useSearchParams } from "react-router";
import type { Plan } from "../../../engine/index.js";
import type { BulletinSummary } from "../../../server/modules/bulletins/schema.js";
import { usePlanChoice } from "../../components/PlanSelect";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatTime } from "../../components/time";
import { useLocale } from "../../locales";
import { useBulletins } from "../../services/bulletins";
import { usePlan, usePlans } from "../../services/plans";
import { BulletinEditor } from "./components/BulletinEditor";
import { DraftModal } from "./components/DraftModal";
import "./bulletins.css";
import { ExportTable } from "../../components/ExportTable";

const colours = { draft: "blue", published: "green", withdrawn: "default" } as const;

/**
 * 喜报/通报 (the office): a plan's bulletins, drafted for a unit from a scoring run, edited beside the
 * facts each sentence states, published on the portal (optionally at a set time) and withdrawn.
 */
export default function BulletinsPage() {
  const { t, lang } = useLocale();
  const plans = usePlans();
  const { planId, picker } = usePlanChoice(plans.data?.items ?? [], t("bulletins.plan"), "bulletins-plan", {
    inForce: true,
  });
  const plan = usePlan(planId);
  const list = useBulletins(planId);
  const [params, setParams] = useSearchParams();
  const openId = params.get("bulletin") ?? undefined;
  const [drafting, setDrafting] = useState(false);
  const go = (id: string | undefined) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (id) next.set("bulletin", id);
      else next.delete("bulletin");
      return next;
    });
  const unitName = (code: string) => {
    const u = (plan.data?.document as Plan | undefined)?.units.find((x) => x.code === code);
    return (lang === "en" ? u?.nameEn : undefined) ?? u?.name ?? code;
  };

  const body = () => {
    if (plans.isPending) return <Skeleton active />;
    if (plans.isError) return <ProblemAlert error={plans.error} title={t("error.load")} />;
    if (!planId) return <Empty description={t("bulletins.noPlans")} />;
    if (openId) return <BulletinEditor planId={planId} id={openId} onBack={() => go(undefined)} />;
    return (
      <Card
        extra={
          <Button type="primary" onClick={() => setDrafting(true)}>
            {t("bulletins.draft")}
          </Button>
        }
      >
        {list.isError ? (
          <ProblemAlert error={list.error} title={t("error.load")} />
        ) : (
          <div className="table-scroll">
            <ExportTable<BulletinSummary>
              exportTitle={[t("bulletins.title")]}
              rowKey="id"
              loading={list.isPending}
              dataSource={list.data?.items ?? []}
              pagination={false}
              locale={{ emptyText: <Empty description={t("bulletins.empty")} /> }}
              columns={[
                {
                  title: t("bulletins.col.title"),
                  key: "title",
                  render: (_, b) => b.titles[lang] ?? b.titles["zh-CN"],
                },
                { title: t("bulletins.col.unit"), key: "unit", render: (_, b) => unitName(b.unit) },
                {
                  title: t("bulletins.col.status"),
                  key: "status",
                  render: (_, b) => <Tag color={colours[b.status]}>{t(`bulletins.status.${b.status}`)}</Tag>,
                },
                {
                  title: t("bulletins.col.updated"),
                  key: "updated",
                  export: { value: (b) => b.updatedAt, kind: "datetime" },
                  render: (_, b) => formatTime(lang, b.updatedAt),
                },
                {
                  title: t("bulletins.col.visible"),
                  key: "visible",
                  export: { value: (b) => b.visibleFrom, kind: "datetime" },
                  render: (_, b) => (b.visibleFrom ? formatTime(lang, b.visibleFrom) : "—"),
                },
                {
                  title: t("bulletins.col.actions"),
                  key: "actions",
                  render: (_, b) => (
                    <Button size="small" onClick={() => go(b.id)}>
                      {b.status === "draft" ? t("bulletins.open") : t("bulletins.view")}
                    </Button>
                  ),
                },
              ]}
            />
          </div>
        )}
      </Card>
    );
  };

  return (
    <div className="page">
      <Typography.Title level={2}>{t("bulletins.title")}</Typography.Title>
      {openId ? null : picker}
      {body()}
      {planId ? (
        <DraftModal
          planId={planId}
          plan={plan.data?.document as Plan | undefined}
          open={drafting}
          onClose={() => setDrafting(false)}
          onDrafted={(id) => {
            setDrafting(false);
            go(id);
          }}
        />
      ) : null}
    </div>
  );
}
