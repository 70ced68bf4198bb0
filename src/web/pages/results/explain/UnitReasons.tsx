import { Descriptions } from "antd";
import type { Plan, UnitResult } from "../../../../engine/index.js";
import { useLocale } from "../../../locales";
import { points } from "./format";

/**
 * Above the indicators, what makes the total and the grade: indicators + bonus − penalty (and the cap),
 * each bonus or penalty item, vetoes, and the grade's reasons (must-indicators missed, the quota
 * arithmetic ("名额 5 × 40% = 2，向下取整为 2 个"), as the engine wrote them.
 */
export function UnitReasons({ plan, result }: { plan: Plan | undefined; result: UnitResult }) {
  const { t, lang } = useLocale();
  const cap = plan?.caps?.total;
  const capped = cap !== undefined && result.base + result.bonus - result.penalty > cap + 1e-9;
  const items = [
    {
      key: "total",
      label: t("explain.total"),
      children:
        t("explain.total.formula", {
          base: points(result.base),
          bonus: points(result.bonus),
          penalty: points(result.penalty),
          total: points(result.total),
        }) + (capped ? t("explain.total.capped", { cap: points(cap) }) : ""),
    },
    {
      key: "items",
      label: t("results.unit.adjustments"),
      children: result.adjustments.length ? (
        <ul className="trace-items">
          {result.adjustments.map((a) => (
            <li key={a.item}>{a.text[lang]}</li>
          ))}
        </ul>
      ) : (
        t("explain.noItems")
      ),
    },
    ...(result.vetoes.length
      ? [
          {
            key: "vetoes",
            label: t("results.unit.vetoes"),
            // The plan's names for the vetoes triggered (their codes where the plan has none).
            children: result.vetoes
              .map((code) => {
                const veto = plan?.vetoes?.find((v) => v.code === code);
                if (!veto) return code;
                return lang === "en" ? `${veto.name} (${code})` : `${veto.name}（${code}）`;
              })
              .join(t("explain.listSep")),
          },
        ]
      : []),
    {
      key: "grade",
      label: t("results.unit.reasons"),
      children: (
        <ul className="trace-items">
          {result.gradeReasons.map((r) => (
            <li key={r["zh-CN"]}>{r[lang]}</li>
          ))}
          {result.override ? (
            <li>
              {t("explain.override", { grade: result.grade ?? "—", byRules: result.gradeByRules ?? "—" })}
            </li>
          ) : null}
        </ul>
      ),
    },
  ];
  return <Descriptions className="trace-reasons" column={1} size="small" bordered items={items} />;
}
