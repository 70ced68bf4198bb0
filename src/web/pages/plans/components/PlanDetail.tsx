import { ArrowLeftOutlined } from "@ant-design/icons";
import { App, Card, Col, Descriptions, Row, Skeleton, Space, Steps, Typography } from "antd";
import { Link, useParams } from "react-router";
import type { PlanDetail as Plan } from "../../../../server/modules/plans/schema.js";
import type { OfficeSummary } from "../../../../server/modules/publication/schema.js";
import { ConfirmButton } from "../../../components/ConfirmButton";
import { ProblemAlert } from "../../../components/ProblemAlert";
import { formatTime } from "../../../components/time";
import { useLocale } from "../../../locales";
import { useFreezePlan, usePlan, usePublishPlan } from "../../../services/plans";
import { usePublications } from "../../../services/publications";
import { useRuns } from "../../../services/runs";
import { DeadlineCard } from "./DeadlineCard";
import { PlanStatusTag } from "./PlanStatusTag";
import { PublicationsCard } from "./PublicationsCard";
import { ReopenCard } from "./ReopenCard";
import { RevisionsCard } from "./RevisionsCard";
import { ScoringCard } from "./ScoringCard";

/** Where the plan is in the year: draft, reporting, scored, under notice, final. */
function stageOf(plan: Plan, runs: number, current: OfficeSummary | undefined) {
  if (plan.status === "draft") return 0;
  if (current?.status === "final") return 4;
  if (current?.status === "notice") return 3;
  return runs > 0 ? 2 : 1;
}

/** One plan's workflow for the office: publish, deadline, reopening, freeze, scoring, notice, finalising. */
export function PlanDetail() {
  const { planId } = useParams();
  const { t } = useLocale();
  const plan = usePlan(planId);
  const runs = useRuns(planId);
  const publications = usePublications(planId);
  if (plan.isPending)
    return (
      <div className="page">
        <Card>
          <Skeleton active />
        </Card>
      </div>
    );
  if (plan.isError)
    return (
      <div className="page">
        <ProblemAlert error={plan.error} title={t("error.load")} />
      </div>
    );
  const p = plan.data;
  const current = publications.data?.items.find((x) => x.status !== "withdrawn");
  const stage = stageOf(p, runs.data?.total ?? 0, current);
  return (
    <div className="page">
      <Link to="/plans" className="back-link">
        <ArrowLeftOutlined /> {t("plans.back")}
      </Link>
      <div className="page-head">
        <Typography.Title level={2}>{p.name}</Typography.Title>
        <Space>
          <PlanStatusTag status={p.status} />
          <span>v{p.version}</span>
          {p.status !== "frozen" ? <Link to={`/designer/${p.planId}`}>{t("designer.open")}</Link> : null}
        </Space>
      </div>
      <Card className="section">
        <Steps
          current={stage}
          status={stage === 4 ? "finish" : "process"}
          items={(["draft", "reporting", "scored", "notice", "final"] as const).map((s) => ({
            title: t(`plans.stage.${s}`),
          }))}
        />
      </Card>
      <Overview plan={p} />
      <Row gutter={16}>
        <Col xs={24} xl={10}>
          <DeadlineCard plan={p} />
        </Col>
        <Col xs={24} xl={14}>
          <ReopenCard plan={p} />
        </Col>
      </Row>
      <ScoringCard plan={p} runs={runs} />
      <PublicationsCard planId={p.planId} publications={publications} />
      <RevisionsCard planId={p.planId} />
    </div>
  );
}

function Overview({ plan }: { plan: Plan }) {
  const { t, lang } = useLocale();
  const { message } = App.useApp();
  const publish = usePublishPlan(plan.planId);
  const freeze = useFreezePlan(plan.planId);
  return (
    <Card
      className="section"
      title={<h2 className="card-title">{t("plans.overview")}</h2>}
      extra={
        <Space>
          {plan.status === "draft" ? (
            <ConfirmButton
              type="primary"
              question={t("plans.publish.confirm")}
              pending={publish.isPending}
              onConfirm={() =>
                publish.mutate(undefined, { onSuccess: () => message.success(t("plans.publish.done")) })
              }
            >
              {t("plans.publish")}
            </ConfirmButton>
          ) : null}
          {plan.status === "published" ? (
            <ConfirmButton
              danger
              question={t("plans.freeze.confirm")}
              pending={freeze.isPending}
              onConfirm={() =>
                freeze.mutate(undefined, { onSuccess: () => message.success(t("plans.freeze.done")) })
              }
            >
              {t("plans.freeze")}
            </ConfirmButton>
          ) : null}
        </Space>
      }
    >
      <ProblemAlert className="form-alert-top" error={publish.error} title={t("error.generic")} />
      <ProblemAlert className="form-alert-top" error={freeze.error} title={t("plans.freeze.failed")} />
      <Descriptions
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          { key: "code", label: t("plans.col.code"), children: plan.code },
          { key: "version", label: t("plans.col.version"), children: `v${plan.version}` },
          { key: "status", label: t("plans.col.status"), children: <PlanStatusTag status={plan.status} /> },
          { key: "units", label: t("plans.col.units"), children: t("plans.units", { n: plan.units.length }) },
          { key: "deadline", label: t("plans.deadline"), children: formatTime(lang, plan.deadline) },
          {
            key: "reporting",
            label: t("plans.reporting"),
            children: plan.reporting.open
              ? t("home.reporting.open")
              : plan.reporting.closedBy
                ? t(`home.reporting.${plan.reporting.closedBy}`)
                : "—",
          },
        ]}
      />
    </Card>
  );
}
