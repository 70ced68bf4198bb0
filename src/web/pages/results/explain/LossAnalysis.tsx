import { Alert, Statistic } from "antd";
import type { NodeTrace, Plan, UnitResult } from "../../../../engine/index.js";
import { ExportTable } from "../../../components/ExportTable";
import { useLocale } from "../../../locales";
import { points } from "./format";
import { largestLosses, lossTree, type NodeLoss, type Peer } from "./loss";
import { nodeNames } from "./names";

/** The peers' numbers the best comes from: the run's (the office, reviewers) or the publication's. */
export type PeersSource = "run" | "published";

/**
 * 失分分析: the unit's tree with the points lost per node against full marks and against its category's
 * best (and who holds it), the indicators where it lost most first. Peers' numbers are those the viewer
 * may read: a run's every unit, or only what a publication shows (without per-indicator scores, full
 * marks only).
 */
export function LossAnalysis({
  plan,
  result,
  trace,
  peers,
  source,
}: {
  plan: Plan | undefined;
  result: UnitResult;
  trace: NodeTrace[];
  /** The units of the result's category (itself among them), or null when their numbers are not shown. */
  peers: Peer[] | null;
  source: PeersSource;
}) {
  const { t, lang } = useLocale();
  const name = nodeNames(plan, lang);
  const compared = peers !== null && result.category !== null;
  const tree = lossTree(trace, compared ? peers : null);
  const label = (n: NodeLoss) => `${n.node} ${name(n.node, n.name)}`;
  const baseMax = tree.filter((n) => !n.adjustment).reduce((s, n) => s + n.max, 0);
  const bestTotal = compared
    ? Math.max(...peers.map((p) => p.total ?? Number.NEGATIVE_INFINITY))
    : Number.NaN;
  const bestTotalUnits = compared ? peers.filter((p) => p.total === bestTotal).map((p) => p.name) : [];
  const mostFull = largestLosses(tree, "lostToFull");
  const mostBest = compared ? largestLosses(tree, "lostToBest") : [];
  return (
    <>
      <p className="loss-intro">
        {t("loss.intro", { source: t(source === "run" ? "loss.source.run" : "loss.source.published") })}
      </p>
      {!compared ? (
        <Alert
          className="form-alert-top"
          type="info"
          showIcon
          title={t(result.category === null ? "loss.standalone" : "loss.noPeers")}
        />
      ) : null}
      <div className="unit-summary">
        <Statistic
          title={t("loss.toFull")}
          value={points(Math.max(0, baseMax - result.base))}
          suffix={
            <span className="loss-suffix">
              {t("loss.base", { score: points(result.base), max: points(baseMax) })}
            </span>
          }
        />
        {Number.isFinite(bestTotal) ? (
          <Statistic
            title={t("loss.toBest")}
            value={points(Math.max(0, bestTotal - result.total))}
            suffix={
              <span className="loss-suffix">
                {t("loss.bestTotal", { best: points(bestTotal), units: bestTotalUnits.join("、") })}
              </span>
            }
          />
        ) : null}
      </div>
      <div className="loss-most">
        <MostLost
          id="loss-most-full"
          title={t("loss.most.full")}
          none={t("loss.most.none")}
          items={mostFull.map((n) => ({
            node: n.node,
            text: t("loss.most.item", {
              indicator: label(n),
              lost: points(n.lostToFull),
              score: points(n.score),
              max: points(n.max),
            }),
          }))}
        />
        {compared ? (
          <MostLost
            id="loss-most-best"
            title={t("loss.most.best")}
            none={t("loss.most.none")}
            items={mostBest.map((n) => ({
              node: n.node,
              text: t("loss.most.itemBest", {
                indicator: label(n),
                lost: points(n.lostToBest ?? 0),
                score: points(n.score),
                best: points(n.best ?? 0),
                units: n.bestUnits.join("、"),
              }),
            }))}
          />
        ) : null}
      </div>
      <ExportTable<NodeLoss>
        exportTitle={[t("loss.title")]}
        className="loss-table"
        rowKey="node"
        size="small"
        tableLayout="fixed"
        pagination={false}
        dataSource={tree}
        expandable={{ defaultExpandAllRows: true }}
        rowClassName={(n) => (mostFull.includes(n) || mostBest.includes(n) ? "loss-most-row" : "")}
        columns={[
          { title: t("explain.col.indicator"), key: "indicator", render: (_, n) => label(n) },
          {
            title: t("loss.col.score"),
            key: "score",
            align: "right",
            width: 90,
            render: (_, n) => points(n.score),
          },
          {
            title: t("loss.col.max"),
            key: "max",
            align: "right",
            width: 90,
            render: (_, n) => (n.adjustment ? "—" : points(n.max)),
          },
          {
            title: t("loss.col.lostToFull"),
            key: "lostToFull",
            align: "right",
            width: 120,
            render: (_, n) => (n.adjustment ? "—" : points(n.lostToFull)),
          },
          ...(compared
            ? [
                {
                  title: t("loss.col.best"),
                  key: "best",
                  width: "26%",
                  render: (_: unknown, n: NodeLoss) =>
                    n.best === null
                      ? "—"
                      : lang === "en"
                        ? `${points(n.best)} (${n.bestUnits.join(", ")})`
                        : `${points(n.best)}（${n.bestUnits.join("、")}）`,
                },
                {
                  title: t("loss.col.lostToBest"),
                  key: "lostToBest",
                  align: "right" as const,
                  width: 130,
                  render: (_: unknown, n: NodeLoss) => (n.lostToBest === null ? "—" : points(n.lostToBest)),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

/** One list of the indicators where most was lost, under its heading (a landmark for screen readers). */
function MostLost(props: {
  id: string;
  title: string;
  none: string;
  items: { node: string; text: string }[];
}) {
  return (
    <section aria-labelledby={props.id}>
      <h3 id={props.id} className="card-subtitle">
        {props.title}
      </h3>
      {props.items.length ? (
        <ol>
          {props.items.map((i) => (
            <li key={i.node}>{i.text}</li>
          ))}
        </ol>
      ) : (
        <p>{props.none}</p>
      )}
    </section>
  );
}
