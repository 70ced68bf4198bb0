import { useMemo } from "react";
import { useSearchParams } from "react-router";
import type { PlanView } from "../../server/modules/plans/schema.js";
import { LabelledSelect } from "./LabelledSelect";
import "./page-parts.css";

/**
 * The plan a page works on: the one chosen, else the first in force (published, else frozen), else the
 * first. The choice lives in the address (`?plan=`, as on /entry and /objections), so a link from the
 * agenda or a notification lands on its plan and a reload keeps it. Returns the id and a labelled
 * picker, shown only when there is more than one plan to choose from. `inForce` leaves drafts out
 * (pages about reported data: a draft has none).
 */
export function usePlanChoice(
  all: readonly PlanView[],
  label: string,
  id: string,
  options: { inForce?: boolean } = {},
) {
  const inForce = options.inForce ?? false;
  const plans = useMemo(() => (inForce ? all.filter((p) => p.status !== "draft") : all), [all, inForce]);
  const [params, setParams] = useSearchParams();
  const chosen = params.get("plan");
  const planId =
    (chosen && plans.some((p) => p.planId === chosen) ? chosen : undefined) ??
    plans.find((p) => p.status === "published")?.planId ??
    plans.find((p) => p.status !== "draft")?.planId ??
    plans[0]?.planId;
  // The same picker from one render to the next while nothing it shows changed (a page that re-renders
  // at every step of a drag does not redraw it).
  const picker = useMemo(
    () =>
      plans.length > 1 ? (
        <div className="plan-picker">
          <label htmlFor={id}>{label}</label>
          <LabelledSelect
            id={id}
            label={label}
            className="plan-picker-select"
            value={planId}
            onChange={(plan: string) =>
              setParams((p) => {
                const next = new URLSearchParams(p);
                next.set("plan", plan);
                return next;
              })
            }
            options={plans.map((p) => ({ value: p.planId, label: `${p.name}（v${p.version}）` }))}
          />
        </div>
      ) : null,
    [plans, planId, id, label, setParams],
  );
  return { planId, plan: plans.find((p) => p.planId === planId), plans, picker };
}
