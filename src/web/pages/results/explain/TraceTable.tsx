import { Tag } from "antd";
import type { NodeTrace, Plan } from "../../../../engine/index.js";
import { ExportTable } from "../../../components/ExportTable";
import { useLocale } from "../../../locales";
import { inputItems, points, ruleName, ruleParams } from "./format";
import { nodeNames } from "./names";

/**
 * A unit's trace as a tree table: per indicator its rule and parameters, the inputs it was scored on
 * (actual, target, rank, marks…), the arithmetic in the engine's own sentence (zh-CN or en), the bonus
 * and penalty items on it, and its points against full marks. Parents sum or weight their items.
 */
export function TraceTable({ plan, trace }: { plan: Plan | undefined; trace: NodeTrace[] }) {
  const { t, lang } = useLocale();
  const name = nodeNames(plan, lang);
  return (
    <ExportTable<NodeTrace>
      exportTitle={[t("explain.trace")]}
      className="trace-table"
      rowKey="node"
      size="small"
      tableLayout="fixed"
      pagination={false}
      dataSource={trace}
      expandable={{ defaultExpandAllRows: true }}
      columns={[
        {
          title: t("explain.col.indicator"),
          key: "indicator",
          width: "22%",
          render: (_, r) => (
            <>
              <span className="trace-code">{r.node}</span> {name(r.node, r.name)}
              {r.adjustment ? (
                <div>
                  <Tag>{t("explain.adjustment")}</Tag>
                </div>
              ) : null}
            </>
          ),
        },
        {
          title: t("explain.col.rule"),
          key: "rule",
          width: "18%",
          render: (_, r) =>
            r.rule ? (
              <>
                <div>{ruleName(t, r.rule)}</div>
                {ruleParams(t, r.rule).map((p) => (
                  <div key={p} className="trace-param">
                    {p}
                  </div>
                ))}
              </>
            ) : (
              <span className="trace-param">{t("explain.combine")}</span>
            ),
        },
        {
          title: t("explain.col.inputs"),
          key: "inputs",
          width: "17%",
          render: (_, r) =>
            r.inputs ? (
              <dl className="trace-inputs">
                {inputItems(t, r.inputs).map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              "—"
            ),
        },
        {
          title: t("explain.col.arithmetic"),
          key: "text",
          render: (_, r) => (
            <>
              <div>{r.text[lang]}</div>
              {r.adjustments?.length ? (
                <ul className="trace-items" aria-label={t("explain.items")}>
                  {r.adjustments.map((a) => (
                    <li key={a.item}>{a.text[lang]}</li>
                  ))}
                </ul>
              ) : null}
            </>
          ),
        },
        {
          title: t("explain.col.points"),
          key: "points",
          align: "right",
          width: 110,
          render: (_, r) => (
            <span className="trace-points">
              {points(r.points)} / {points(r.max)}
            </span>
          ),
        },
      ]}
    />
  );
}
