import { Button, Card, Empty, Segmented, Select, Skeleton, Space, Typography } from "antd";
import { useState } from "react";
import { useSearchParams } from "react-router";
import type { Plan } from "../../../engine/index.js";
import type { ObjectionView } from "../../../server/modules/publication/schema.js";
import { can } from "../../access";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatTime } from "../../components/time";
import { useLocale } from "../../locales";
import { useSession } from "../../services/auth";
import { usePlan, usePlans } from "../../services/plans";
import { ordinal, usePublications, usePublicPublications } from "../../services/publications";
import { FileObjectionModal } from "./components/FileObjectionModal";
import { ObjectionTable } from "./components/ObjectionTable";

type Filter = ObjectionView["status"] | "all";

/**
 * Objections to a publication: the office's inbox (evidence, accept or reject with the reason), and
 * for a unit's people their own objections, which the leader files during the notice.
 */
export default function ObjectionsPage() {
  const { t, lang } = useLocale();
  const session = useSession();
  const roles = session.data?.user.roles ?? [];
  const office = can(roles, "objections.resolve");
  const mayFile = can(roles, "objections.file");
  const unit = session.data?.user.organisationCode ?? undefined;
  const plans = usePlans();
  const [params, setParams] = useSearchParams();
  const items = (plans.data?.items ?? []).filter((p) => p.status !== "draft");
  const planId = params.get("plan") ?? items[0]?.planId;
  const plan = usePlan(planId);
  const officePubs = usePublications(planId, office);
  const publicPubs = usePublicPublications(office ? undefined : planId);
  const pubs = office ? officePubs : publicPubs;
  const list = pubs.data?.items ?? [];
  const publicationId = params.get("publication") ?? list.find((p) => p.status !== "withdrawn")?.id;
  const publication = list.find((p) => p.id === publicationId);
  const [filter, setFilter] = useState<Filter>(office ? "open" : "all");
  const [filing, setFiling] = useState(false);
  const noticeOpen = publication?.status === "notice" && new Date(publication.noticeUntil) > new Date();

  const body = () => {
    if (plans.isPending || (planId && pubs.isPending))
      return (
        <Card>
          <Skeleton active />
        </Card>
      );
    if (plans.isError || pubs.isError)
      return <ProblemAlert error={plans.error ?? pubs.error} title={t("error.load")} />;
    if (!planId)
      return (
        <Card>
          <Empty description={t("objections.noPlans")} />
        </Card>
      );
    return (
      <>
        <div className="picker-row">
          <label htmlFor="objections-plan">{t("objections.plan")}</label>
          <Select
            id="objections-plan"
            className="picker-select"
            value={planId}
            onChange={(p) => setParams(new URLSearchParams({ plan: p }))}
            options={items.map((p) => ({ value: p.planId, label: `${p.name}（v${p.version}）` }))}
          />
          {list.length > 0 ? (
            <>
              <label htmlFor="objections-publication">{t("objections.publication")}</label>
              <Select
                id="objections-publication"
                className="picker-select"
                value={publicationId}
                onChange={(id: string) => setParams(new URLSearchParams({ plan: planId, publication: id }))}
                options={list.map((p) => ({
                  value: p.id,
                  label: t("results.source.publication", {
                    n: ordinal(list, p.id),
                    status: t(`plans.pubs.status.${p.status}`),
                    time: formatTime(lang, p.publishedAt),
                  }),
                }))}
              />
            </>
          ) : null}
        </div>
        {!publicationId ? (
          <Card>
            <Empty description={t("objections.noPublications")} />
          </Card>
        ) : (
          <Card
            title={
              <Space wrap>
                <span id="objections-filter-label">{t("objections.filter")}</span>
                <Segmented<Filter>
                  aria-labelledby="objections-filter-label"
                  value={filter}
                  onChange={setFilter}
                  options={(["all", "open", "accepted", "rejected"] as const).map((s) => ({
                    value: s,
                    label: s === "all" ? t("objections.filter.all") : t(`objections.status.${s}`),
                  }))}
                />
              </Space>
            }
            extra={
              mayFile ? (
                <Button type="primary" disabled={!noticeOpen} onClick={() => setFiling(true)}>
                  {t("objections.file")}
                </Button>
              ) : null
            }
          >
            {mayFile && !noticeOpen ? (
              <Typography.Paragraph type="secondary">{t("objections.file.closed")}</Typography.Paragraph>
            ) : null}
            <ObjectionTable
              planId={planId}
              publicationId={publicationId}
              plan={plan.data?.document as Plan | undefined}
              status={filter === "all" ? undefined : filter}
              office={office}
            />
          </Card>
        )}
        {mayFile && unit && publicationId && plan.data ? (
          <FileObjectionModal
            open={filing}
            onClose={() => setFiling(false)}
            planId={planId}
            publicationId={publicationId}
            plan={plan.data.document as Plan}
            unit={unit}
          />
        ) : null}
      </>
    );
  };

  return (
    <div className="page">
      <Typography.Title level={2}>
        {office ? t("objections.title") : t("objections.titleUnit")}
      </Typography.Title>
      {body()}
    </div>
  );
}
