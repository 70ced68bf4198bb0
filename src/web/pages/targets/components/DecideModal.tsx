import { DecisionModal } from "../../../components/DecisionModal";
import { useLocale } from "../../../locales";
import { type TargetAdjustmentView, useDecideAdjustment } from "../../../services/targets";

/** The office approves or rejects one target adjustment, with a note the unit will read. */
export function DecideModal(props: {
  planId: string;
  adjustment: TargetAdjustmentView | undefined;
  unitName: (code: string) => string;
  onClose(): void;
  onDone(text: string): void;
}) {
  const { t } = useLocale();
  const decide = useDecideAdjustment(props.planId);
  const a = props.adjustment;
  return (
    <DecisionModal
      open={Boolean(a)}
      title={a ? t("targets.decide.title", { unit: props.unitName(a.unit), indicator: a.indicator }) : ""}
      summary={
        a ? (
          <p className="decide-summary">
            {t("targets.decide.summary", { original: a.original, requested: a.requested })}
            <span className="decide-reason">{a.reason}</span>
          </p>
        ) : null
      }
      pending={decide.isPending}
      submit={(values) => decide.mutateAsync({ id: a!.id, ...values })}
      onClose={props.onClose}
      onDone={() => props.onDone(t("targets.decide.done"))}
    />
  );
}
