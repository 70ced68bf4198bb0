import { Alert, Button, Card, Empty, message, Skeleton, Typography } from "antd";
import { useState } from "react";
import { can } from "../../access";
import { problemTitle } from "../../components/form-problem";
import { usePlanChoice } from "../../components/PlanSelect";
import { useLocale } from "../../locales";
import { useSession } from "../../services/auth";
import { usePlans } from "../../services/plans";
import { cellErrors, type TargetMatrix, useTargetMatrix, useUploadTargets } from "../../services/targets";
import { AdjustmentsCard } from "./components/AdjustmentsCard";
import { ExcelCard } from "./components/ExcelCard";
import { MatrixCard } from "./components/MatrixCard";
import { RequestModal } from "./components/RequestModal";
import "./targets.css";

/**
 * 目标管理: the units × indicators matrix (baseline, original and current target), the Excel round trip,
 * and the target adjustment requests: a unit's leader asks, the office decides.
 */
export default function TargetsPage() {
  const { t } = useLocale();
  const plans = usePlans();
  const { planId, picker } = usePlanChoice(plans.data?.items ?? [], t("targets.plan"), "targets-plan");

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <Typography.Title level={2}>{t("targets.title")}</Typography.Title>
          <Typography.Paragraph type="secondary">{t("targets.subtitle")}</Typography.Paragraph>
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
          <Empty description={t("targets.noPlans")} />
        </Card>
      ) : (
        <PlanTargets key={planId} planId={planId} />
      )}
    </div>
  );
}

function PlanTargets({ planId }: { planId: string }) {
  const { t, lang } = useLocale();
  const session = useSession();
  const roles = session.data?.user.roles ?? [];
  const unit = session.data?.user.organisationCode ?? undefined;
  const matrix = useTargetMatrix(planId);
  const [notice, holder] = message.useMessage();
  const [requesting, setRequesting] = useState<{ indicator?: string }>();
  const mayRequest = can(roles, "targets.request") && Boolean(unit);
  const upload = useUploadTargets(planId, unit ?? "", lang);
  const done = (text: string) => void notice.success(text);

  if (matrix.isPending)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (matrix.isError)
    return <Alert type="error" showIcon title={t("error.load")} description={problemTitle(matrix.error)} />;
  const data: TargetMatrix = matrix.data;
  const unitName = (code: string) => data.items.find((r) => r.unit === code)?.name ?? code;
  const indicatorName = (code: string) => {
    const i = data.indicators.find((x) => x.code === code);
    return i ? `${i.code} ${i.name}` : code;
  };

  return (
    <div className="page-stack">
      {holder}
      <MatrixCard
        matrix={data}
        errors={cellErrors(upload.error)}
        errorUnit={unit}
        onRequest={mayRequest ? (indicator) => setRequesting({ indicator }) : undefined}
        extra={
          mayRequest ? (
            <Button type="primary" onClick={() => setRequesting({})}>
              {t("targets.request")}
            </Button>
          ) : undefined
        }
      />
      {unit && data.items.some((r) => r.unit === unit) ? (
        <ExcelCard planId={planId} unit={unit} canUpload={mayRequest} upload={upload} onDone={done} />
      ) : null}
      <AdjustmentsCard
        planId={planId}
        canDecide={can(roles, "targets.decide")}
        unitName={unitName}
        indicatorName={indicatorName}
        onDone={done}
      />
      {mayRequest && unit ? (
        <RequestModal
          planId={planId}
          unit={unit}
          matrix={data}
          indicator={requesting?.indicator}
          open={Boolean(requesting)}
          onClose={() => setRequesting(undefined)}
          onDone={done}
        />
      ) : null}
    </div>
  );
}
