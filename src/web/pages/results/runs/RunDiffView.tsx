import { Card, Tag, Typography } from "antd";
import { Link } from "react-router";
import type { Plan } from "../../../../engine/index.js";
import type { RunDiff, RunInputChange, RunSummary } from "../../../../server/modules/runs/schema.js";
import { ExportTable } from "../../../components/ExportTable";
import { planDiffLines, planNames } from "../../../components/plan-diff";
import { type Lang, useLocale } from "../../../locales";
import { runTime, shortHash } from "./RunList";
import { signed, whyMoved } from "./why";

type Moved = RunDiff["units"][number];
type T = ReturnType<typeof useLocale>["t"];

const num = (t: T, n: number | null) => (n === null ? t("runs.absent") : String(n));
const show = (v: unknown) =>
  v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v);

/** One changed input as the "why" column says it: "A2 2.87 → 2.9". */
const inputPhrase = (t: T, c: RunInputChange) =>
  `${c.indicator}${c.level ? `（${c.level}）` : ""} ${num(t, c.before)} → ${num(t, c.after)}`;

/**
 * A diff of two runs: the inputs that changed (plan version, values, marks, items, the plan as scored),
 * then each unit whose total, rank or grade moved, with why (its own inputs, the plan, or other units)
 * and a link to its trace in the later run.
 */
export function RunDiffView({
  planId,
  plan,
  runs,
  diff,
}: {
  planId: string;
  plan: Plan | undefined;
  runs: RunSummary[];
  diff: RunDiff;
}) {
  const { t, lang } = useLocale();
  const name = planNames(plan, lang === "en");
  const when = (id: string) => {
    const run = runs.find((r) => r.id === id);
    return run ? runTime(lang, run.createdAt) : id;
  };
  const { inputs } = diff;
  const rows = [...inputs.values, ...inputs.marks, ...inputs.items];
  const planChanges = planDiffLines(t, inputs.plan, name);
  return (
    <>
      <Card
        className="section"
        title={
          <h2 className="card-title">{t("runs.diff", { from: when(diff.from.id), to: when(diff.to.id) })}</h2>
        }
      >
        <div className="run-diff-summary">
          {inputs.same ? (
            <Typography.Text>{t("runs.same")}</Typography.Text>
          ) : (
            <Typography.Text>
              {t("runs.hash.differs", {
                from: shortHash(diff.from.inputHash),
                to: shortHash(diff.to.inputHash),
              })}
            </Typography.Text>
          )}
          {inputs.planVersion ? (
            <div>
              <Tag color="purple">
                {t("runs.planVersion", {
                  before: inputs.planVersion.before,
                  after: inputs.planVersion.after,
                })}
              </Tag>
            </div>
          ) : null}
        </div>
        <h3 className="card-title">{t("runs.inputs")}</h3>
        {rows.length === 0 ? (
          <Typography.Paragraph type="secondary">{t("runs.inputs.none")}</Typography.Paragraph>
        ) : (
          <ExportTable<RunInputChange>
            exportTitle={[t("runs.inputs")]}
            className="run-inputs-table"
            size="small"
            pagination={false}
            rowKey={(c) => `${c.kind}|${c.unit}|${c.indicator}|${c.period}|${c.ref ?? ""}|${c.level ?? ""}`}
            dataSource={rows}
            columns={[
              { key: "kind", title: t("runs.col.kind"), render: (_, c) => t(`runs.kind.${c.kind}`) },
              { key: "unit", title: t("runs.col.unit"), render: (_, c) => name(c.unit) },
              {
                key: "indicator",
                title: t("runs.col.indicator"),
                render: (_, c) => `${c.indicator} ${name(c.indicator)}${c.level ? `（${c.level}）` : ""}`,
              },
              { key: "period", title: t("runs.col.period"), dataIndex: "period" },
              {
                key: "before",
                title: t("runs.col.before"),
                align: "right",
                render: (_, c) => num(t, c.before),
              },
              { key: "after", title: t("runs.col.after"), align: "right", render: (_, c) => num(t, c.after) },
            ]}
          />
        )}
        {planChanges.length > 0 ? (
          <>
            <h3 className="card-title">{t("runs.plan")}</h3>
            <ul className="run-plan-changes">
              {planChanges.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </>
        ) : null}
      </Card>
      <MovedUnits planId={planId} diff={diff} name={name} lang={lang} />
    </>
  );
}

function MovedUnits({
  planId,
  diff,
  name,
  lang,
}: {
  planId: string;
  diff: RunDiff;
  name: (code: string) => string;
  lang: Lang;
}) {
  const { t } = useLocale();
  const change = (before: unknown, after: unknown) =>
    before === after ? show(after) : t("runs.change", { before: show(before), after: show(after) });
  return (
    <Card className="section" title={<h2 className="card-title">{t("runs.results")}</h2>}>
      {diff.units.length === 0 ? (
        <Typography.Paragraph type="secondary">{t("runs.results.none")}</Typography.Paragraph>
      ) : (
        <ExportTable<Moved>
          exportTitle={[t("runs.results")]}
          className="run-moved-table"
          size="small"
          pagination={false}
          rowKey="unit"
          dataSource={diff.units}
          columns={[
            {
              key: "unit",
              title: t("runs.col.unit"),
              render: (_, u) => (lang === "en" ? name(u.unit) : u.name),
            },
            {
              key: "total",
              title: t("runs.col.total"),
              render: (_, u) => {
                const delta = u.totalAfter - u.totalBefore;
                return (
                  <>
                    {change(u.totalBefore.toFixed(2), u.totalAfter.toFixed(2))}
                    {delta !== 0 ? (
                      <span className={delta > 0 ? "run-up" : "run-down"}>
                        {t("runs.delta", { delta: signed(delta) })}
                      </span>
                    ) : null}
                  </>
                );
              },
            },
            { key: "rank", title: t("runs.col.rank"), render: (_, u) => change(u.rankBefore, u.rankAfter) },
            {
              key: "grade",
              title: t("runs.col.grade"),
              render: (_, u) => change(u.gradeBefore, u.gradeAfter),
            },
            { key: "nodes", title: t("runs.col.nodes"), render: (_, u) => u.changed.join("、") || "—" },
            {
              key: "why",
              title: t("runs.col.why"),
              render: (_, u) => {
                const why = whyMoved(diff, u.unit);
                const parts = [
                  ...(why.own.length > 0
                    ? [t("runs.why.own", { what: why.own.map((c) => inputPhrase(t, c)).join("、") })]
                    : []),
                  ...(why.plan ? [t("runs.why.plan")] : []),
                ];
                return parts.length > 0 ? parts.join("；") : t("runs.why.others");
              },
            },
            {
              key: "explain",
              export: false,
              title: t("runs.explain.short"),
              render: (_, u) => (
                <Link
                  to={`/results?${new URLSearchParams({ plan: planId, run: diff.to.id, explain: u.unit })}`}
                  aria-label={t("runs.explain", { unit: lang === "en" ? name(u.unit) : u.name })}
                >
                  {t("runs.explain.short")}
                </Link>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
