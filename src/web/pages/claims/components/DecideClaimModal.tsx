import { DecisionModal } from "../../../components/DecisionModal";
import { useLocale } from "../../../locales";
import { type ClaimView, useDecideClaim } from "../../../services/claims";

/** The office approves or rejects a unit's pending bonus claim, with the reason the unit reads. */
export function DecideClaimModal(props: {
  planId: string;
  claim: ClaimView | undefined;
  unitName: (code: string) => string;
  itemName: (code: string) => string;
  onClose(): void;
  onDone(text: string): void;
}) {
  const { t } = useLocale();
  const decide = useDecideClaim(props.planId);
  const c = props.claim;
  return (
    <DecisionModal
      open={Boolean(c)}
      title={
        c ? t("claims.decide.title", { unit: props.unitName(c.unit), item: props.itemName(c.item) }) : ""
      }
      pending={decide.isPending}
      submit={(values) => decide.mutateAsync({ id: c!.id, ...values })}
      onClose={props.onClose}
      onDone={() => props.onDone(t("claims.done.decide"))}
    />
  );
}
