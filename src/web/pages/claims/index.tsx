import { Alert, Button, Card, Empty, message, Segmented, Select, Skeleton, Space, Typography } from "antd";
import { useState } from "react";
import type { Plan } from "../../../engine/index.js";
import { can } from "../../access";
import { problemTitle } from "../../components/form-problem";
import { usePlanChoice } from "../../components/PlanSelect";
import { useLocale } from "../../locales";
import { useSession } from "../../services/auth";
import { type ClaimFilters, type ClaimView, useAttachClaimFile, useClaims } from "../../services/claims";
import { usePlan, usePlans } from "../../services/plans";
import { ClaimModal } from "./components/ClaimModal";
import { ClaimsTable } from "./components/ClaimsTable";
import { catalogOf } from "./components/catalog";
import { DecideClaimModal } from "./components/DecideClaimModal";
import { fileProblem } from "./components/EvidencePicker";
import "./claims.css";

const statuses = ["pending", "approved", "rejected"] as const;

/**
 * 加减分事项: units claim bonus items with evidence (its leader), the office records penalties and
 * vetoes and decides the claims; everyone sees the state and the reason of each decision.
 */
export default function ClaimsPage() {
  const { t } = useLocale();
  const plans = usePlans();
  const { planId, picker } = usePlanChoice(plans.data?.items ?? [], t("claims.plan"), "claims-plan");
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={2}>{t("claims.title")}</Typography.Title>
          <Typography.Paragraph type="secondary">{t("claims.subtitle")}</Typography.Paragraph>
        </div>
        {picker}
      </div>
      {plans.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : plans.isError ? (
        <Alert type="error" showIcon title={t("error.load")} description={problemTitle(plans.error)} />
      ) : !planId ? (
        <Card>
          <Empty description={t("claims.noPlans")} />
        </Card>
      ) : (
        <PlanClaims key={planId} planId={planId} />
      )}
    </div>
  );
}

function PlanClaims({ planId }: { planId: string }) {
  const { t, lang } = useLocale();
  const session = useSession();
  const user = session.data?.user;
  const roles = user?.roles ?? [];
  const ownUnit = user?.organisationCode ?? undefined;
  const detail = usePlan(planId);
  const [filters, setFilters] = useState<ClaimFilters>({});
  const claims = useClaims(planId, filters);
  const attach = useAttachClaimFile(planId, lang);
  const [notice, holder] = message.useMessage();
  const [modal, setModal] = useState<"claim" | "record">();
  const [deciding, setDeciding] = useState<ClaimView>();
  const plan = detail.data?.document as Plan | undefined;
  const catalog = catalogOf(plan);
  const units = (plan?.units ?? []).map((u) => ({ code: u.code, name: u.name }));
  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;
  const itemName = (code: string) => catalog.find((c) => c.code === code)?.name ?? code;
  const office = can(roles, "claims.decide");
  const mayClaim = can(roles, "claims.bonus") && !office && Boolean(ownUnit);
  const done = (text: string, level: "success" | "warning" = "success") =>
    void notice.open({ type: level, content: text });

  if (detail.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (detail.isError)
    return <Alert type="error" showIcon title={t("error.load")} description={problemTitle(detail.error)} />;

  const filtered = Boolean(filters.status || filters.unit || filters.item);
  return (
    <Card
      title={<h2 className="card-title">{t("claims.list")}</h2>}
      extra={
        <Space wrap>
          {mayClaim ? (
            <Button type="primary" onClick={() => setModal("claim")}>
              {t("claims.claim")}
            </Button>
          ) : null}
          {can(roles, "claims.penalty") ? (
            <Button type="primary" onClick={() => setModal("record")}>
              {t("claims.record")}
            </Button>
          ) : null}
        </Space>
      }
    >
      {holder}
      <div className="claims-filters">
        <Segmented
          aria-label={t("claims.filter.status")}
          value={filters.status ?? "all"}
          onChange={(v) =>
            setFilters({ ...filters, status: v === "all" ? undefined : (v as ClaimView["status"]) })
          }
          options={[
            { value: "all", label: t("claims.all") },
            ...statuses.map((s) => ({ value: s, label: t(`claims.status.${s}`) })),
          ]}
        />
        {can(roles, "units.all") ? (
          <Select
            aria-label={t("claims.filter.unit")}
            className="claims-filter-select"
            allowClear
            placeholder={t("claims.filter.allUnits")}
            value={filters.unit}
            onChange={(unit?: string) => setFilters({ ...filters, unit })}
            showSearch={{ optionFilterProp: "label" }}
            options={units.map((u) => ({ value: u.code, label: u.name }))}
          />
        ) : null}
        <Select
          aria-label={t("claims.filter.item")}
          className="claims-filter-select"
          allowClear
          placeholder={t("claims.filter.allItems")}
          value={filters.item}
          onChange={(item?: string) => setFilters({ ...filters, item })}
          options={catalog.map((c) => ({
            value: c.code,
            label: `${c.name}（${t(`claims.kind.${c.kind}`)}）`,
          }))}
        />
      </div>
      {claims.isPending ? (
        <Skeleton active />
      ) : claims.isError ? (
        <Alert type="error" showIcon title={t("error.load")} description={problemTitle(claims.error)} />
      ) : claims.data.items.length === 0 ? (
        <Empty description={filtered ? t("claims.emptyFiltered") : t("claims.empty")} />
      ) : (
        <ClaimsTable
          planId={planId}
          claims={claims.data.items}
          catalog={catalog}
          unitName={unitName}
          canDecide={office}
          canAttach={(c) =>
            can(roles, "claims.bonus") && (office || (c.status === "pending" && c.unit === ownUnit))
          }
          attaching={attach.isPending ? attach.variables?.id : undefined}
          onDecide={setDeciding}
          onAttach={(c, file) => {
            const bad = fileProblem(file, t);
            if (bad) return void notice.error(bad);
            attach.mutate(
              { id: c.id, file },
              {
                onSuccess: () => done(t("claims.done.attach")),
                onError: (e) => void notice.error(problemTitle(e)),
              },
            );
          }}
        />
      )}
      <ClaimModal
        planId={planId}
        mode={modal ?? "claim"}
        open={Boolean(modal)}
        catalog={catalog}
        units={units}
        ownUnit={ownUnit}
        onClose={() => setModal(undefined)}
        onDone={done}
      />
      <DecideClaimModal
        planId={planId}
        claim={deciding}
        unitName={unitName}
        itemName={itemName}
        onClose={() => setDeciding(undefined)}
        onDone={done}
      />
    </Card>
  );
}
