import type { PlanDiff } from "../../../engine/index.js";
import { useLocale } from "../../locales";

const show = (v: unknown) =>
  v === undefined || v === null ? "—" : typeof v === "string" ? v : JSON.stringify(v);

/** The engine's diffPlans as sentences (the same diff the server's revision history stores). */
export function DiffList({ diff }: { diff: PlanDiff }) {
  const { t } = useLocale();
  const top = t("designer.diff.top");
  const lines = [
    ...diff.tree.added.map((n) => t("designer.diff.added", { code: n.code, name: n.name })),
    ...diff.tree.removed.map((n) => t("designer.diff.removed", { code: n.code, name: n.name })),
    ...diff.tree.moved.map((m) =>
      t("designer.diff.moved", { code: m.code, from: m.from ?? top, to: m.to ?? top }),
    ),
    ...diff.tree.changed.map((c) =>
      t("designer.diff.changed", {
        code: c.code,
        field: c.field,
        before: show(c.before),
        after: show(c.after),
      }),
    ),
    ...diff.rules.flatMap((r) => [
      ...(r.typeBefore !== r.typeAfter
        ? [
            t("designer.diff.ruleType", {
              code: r.code,
              before: show(r.typeBefore),
              after: show(r.typeAfter),
            }),
          ]
        : []),
      ...r.parameters.map((p) =>
        t("designer.diff.ruleParam", {
          code: r.code,
          path: p.path,
          before: show(p.before),
          after: show(p.after),
        }),
      ),
    ]),
    ...diff.targets.map((x) =>
      t("designer.diff.target", {
        indicator: x.indicator,
        unit: x.unit,
        before: show(x.before),
        after: show(x.after),
      }),
    ),
    ...diff.units.added.map((u) => t("designer.diff.unitAdded", { code: u.code, name: u.name })),
    ...diff.units.removed.map((u) => t("designer.diff.unitRemoved", { code: u.code, name: u.name })),
    ...diff.units.changed.map((c) =>
      t("designer.diff.unitChanged", {
        code: c.code,
        field: c.field,
        before: show(c.before),
        after: show(c.after),
      }),
    ),
    ...diff.other.map((part) => t("designer.diff.other", { part })),
  ];
  return (
    <ul className="designer-diff">
      {lines.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}
