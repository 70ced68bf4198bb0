import type { Plan, PlanDiff } from "../../../engine/index.js";
import { planDiffLines, planNames } from "../../components/plan-diff";
import { useLocale } from "../../locales";

/** The engine's diffPlans as sentences, worded as a diff of two runs words the plan's part. */
export function DiffList({ diff, plan }: { diff: PlanDiff; plan: Plan }) {
  const { t, lang } = useLocale();
  return (
    <ul className="designer-diff">
      {planDiffLines(t, diff, planNames(plan, lang === "en")).map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}
