import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Drawer,
  Empty,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Skeleton,
  Slider,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from "antd";
import {
  type Dispatch,
  memo,
  type SetStateAction,
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import {
  createScorer,
  type DataRow,
  type IndicatorSpec,
  type Plan,
  type ScenarioChanges,
  type ScoringRun,
  unitResult,
} from "../../../engine/index.js";
import type { ScenarioView } from "../../../server/modules/scenarios/schema.js";
import { LabelledSelect } from "../../components/LabelledSelect";
import { usePlanChoice } from "../../components/PlanSelect";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useRunChoice } from "../../components/RunSelect";
import { formatTime } from "../../components/time";
import { type Lang, useLocale } from "../../locales";
import { usePlans } from "../../services/plans";
import { useRun, useRuns } from "../../services/runs";
import { useDeleteScenario, useRunInputs, useSaveScenario, useScenarios } from "../../services/scenarios";
import { nodeNames } from "../results/explain/names";
import { TraceTable } from "../results/explain/TraceTable";
import { type ComparedUnit, type Simulation, simulate, withGrade, withPoints, withValue } from "./compare";
import "./simulate.css";
import type { ExportColumns } from "../../components/ExportButton";
import { ExportTable } from "../../components/ExportTable";
import { planTitle } from "../../components/export/title";
import { PlainTable } from "../../components/PlainTable";
// The points table is drawn in PlainTable's looks too (its own rows: a tree with fold toggles).
import "../../components/plain-table.css";

type T = ReturnType<typeof useLocale>["t"];
/** The scenario's setter: a new scenario, or a change to the latest one (a stable callback for memoised rows). */
type Update = Dispatch<SetStateAction<ScenarioChanges>>;
const fmt = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : String(Math.round(x * 100) / 100);

/**
 * 模拟测算 (the office): a run's frozen inputs scored again in the browser, by the engine the server
 * scores with, as points, weights, grade lines and quotas, or a unit's values and marks are changed;
 * totals, ranks and grades beside the official run's at every change, the moved units marked, each
 * unit's trace under the scenario a click away. Scenarios are saved per person and may be shared;
 * none is ever a run, and nothing here publishes.
 */
export default function SimulatePage() {
  const { t, lang } = useLocale();
  const plans = usePlans();
  const { planId, picker } = usePlanChoice(plans.data?.items ?? [], t("results.plan"), "simulate-plan", {
    inForce: true,
  });
  const runs = useRuns(planId);
  const items = runs.data?.items ?? [];
  const [changes, setChanges] = useState<ScenarioChanges>({});
  const [loaded, setLoaded] = useState<ScenarioView | null>(null);
  const [traced, setTraced] = useState<string | null>(null);
  const {
    runId,
    choose: chooseRun,
    picker: runPicker,
  } = useRunChoice(items, t("simulate.run"), "simulate-run", () => {
    setChanges({});
    setLoaded(null);
  });
  const run = useRun(planId, runId);
  const inputs = useRunInputs(planId, runId);

  // One scorer per run's inputs: each change re-scores only what it touches (the same numbers).
  const scorer = useMemo(() => {
    const created = inputs.data ? createScorer(inputs.data.plan, inputs.data.rows) : null;
    return created?.ok ? created.value : undefined;
  }, [inputs.data]);
  const result = useMemo(
    () =>
      inputs.data && run.data ? simulate(inputs.data, run.data.result, changes, undefined, scorer) : null,
    [inputs.data, run.data, changes, scorer],
  );
  // A User Timing mark at each commit of a new outcome: DevTools and the browser test time a slider
  // step from its input event to the frame that shows it by this mark.
  useLayoutEffect(() => {
    if (result) performance.mark("kaohe:simulated");
  }, [result]);
  // Stable callbacks for the memoised parts (a drag step re-renders neither the saved list nor the outcome's frame).
  // The saved scenarios' card reads the scenario only when one is saved: it is given it by a ref.
  const latestChanges = useRef(changes);
  latestChanges.current = changes;
  const latest = useRef({ runId, chooseRun });
  latest.current = { runId, chooseRun };
  const open = useCallback((s: ScenarioView) => {
    if (s.runId !== latest.current.runId) latest.current.chooseRun(s.runId);
    setChanges(s.changes);
    setLoaded(s);
  }, []);
  const reset = useCallback(() => {
    setChanges({});
    setLoaded(null);
  }, []);

  return (
    <div className="page simulate">
      <Typography.Title level={2}>
        {t("simulate.title")} <Tag color="orange">{t("simulate.badge")}</Tag>
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t("simulate.intro")}</Typography.Paragraph>
      <Alert className="section" type="warning" showIcon title={t("simulate.notOfficial")} />
      {picker}
      {plans.isPending || runs.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : plans.isError || runs.isError ? (
        <ProblemAlert error={plans.error ?? runs.error} title={t("error.load")} />
      ) : !planId || items.length === 0 ? (
        <Card>
          <Empty description={t("simulate.noRuns")} />
        </Card>
      ) : (
        <>
          {runPicker}
          {inputs.isError || run.isError ? (
            <ProblemAlert error={inputs.error ?? run.error} title={t("error.load")} />
          ) : !inputs.data || !run.data || !result ? (
            <Card>
              <Skeleton active />
            </Card>
          ) : (
            <div className="simulate-grid">
              <Card
                className="simulate-changes"
                title={<h3 className="card-title">{t("simulate.changes")}</h3>}
              >
                <Changes
                  plan={inputs.data.plan}
                  rows={inputs.data.rows}
                  changes={changes}
                  onChange={setChanges}
                  failed={result.ok ? undefined : result.error.indicator}
                />
              </Card>
              <div className="simulate-results">
                <Outcome
                  result={result}
                  empty={Object.keys(changes).length === 0}
                  onReset={reset}
                  onTrace={setTraced}
                  units={inputs.data.plan.units.length}
                  lang={lang}
                  plan={inputs.data.plan}
                />
                <Scenarios
                  planId={planId}
                  runId={runId!}
                  changes={latestChanges}
                  empty={Object.keys(changes).length === 0}
                  loaded={loaded}
                  onOpen={open}
                  onSaved={setLoaded}
                />
              </div>
            </div>
          )}
          {result?.ok && traced ? (
            <SimulatedTrace
              plan={inputs.data!.plan}
              result={result}
              unit={traced}
              official={run.data!.result}
              onClose={() => setTraced(null)}
            />
          ) : null}
        </>
      )}
    </div>
  );
}

/** The changes: the indicators' points or weights, the grades' lines and quotas, a unit's data. */
function Changes({
  plan,
  rows,
  changes,
  onChange,
  failed,
}: {
  plan: Plan;
  rows: readonly DataRow[];
  changes: ScenarioChanges;
  onChange: Update;
  failed: string | undefined;
}) {
  const { t, lang } = useLocale();
  return (
    <Tabs
      items={[
        {
          key: "points",
          label: t("simulate.tab.points"),
          children: <PointsTable plan={plan} changes={changes} onChange={onChange} failed={failed} />,
        },
        {
          key: "grades",
          label: t("simulate.tab.grades"),
          children: <GradesTable plan={plan} changes={changes} onChange={onChange} lang={lang} />,
        },
        {
          key: "values",
          label: t("simulate.tab.values"),
          children: <ValuesTable plan={plan} rows={rows} changes={changes} onChange={onChange} />,
        },
      ]}
    />
  );
}

interface PointsRow {
  code: string;
  name: string;
  node: IndicatorSpec;
  /** The scenario's points or weight of the node (undefined: the plan's). */
  value: number | undefined;
  failed: boolean;
  children?: PointsRow[];
}

/**
 * The plan's nodes with the scenario's points or weights. A drag step changes one node: its row object
 * is new, every other row is the one of the step before (and so are the columns), so the table renders
 * again only that row's cells and its parents'.
 */
function PointsTable({
  plan,
  changes,
  onChange,
  failed,
}: {
  plan: Plan;
  changes: ScenarioChanges;
  onChange: Update;
  failed: string | undefined;
}) {
  const { t, lang } = useLocale();
  const before = useRef(new Map<string, PointsRow>());
  const tree = useMemo(() => {
    const name = nodeNames(plan, lang);
    const rows = new Map<string, PointsRow>();
    const walk = (nodes: readonly IndicatorSpec[]): PointsRow[] =>
      nodes.map((n) => {
        const children = n.children?.length ? walk(n.children) : undefined;
        const row: PointsRow = {
          code: n.code,
          name: name(n.code, n.name),
          node: n,
          value: changes.points?.[n.code] ?? changes.weights?.[n.code],
          failed: failed === n.code,
          ...(children ? { children } : {}),
        };
        const last = before.current.get(n.code);
        const same =
          last &&
          last.node === n &&
          last.name === row.name &&
          last.value === row.value &&
          last.failed === row.failed &&
          (last.children ?? []).every((c, k) => c === children?.[k]);
        rows.set(n.code, same ? last : row);
        return same ? last : row;
      });
    const built = walk(plan.indicators);
    before.current = rows;
    return built;
  }, [plan, lang, changes, failed]);
  // Collapsed nodes (all open at first, as the plan reads); the rows shown are the open ones' descendants.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = useCallback(
    (code: string) =>
      setCollapsed((c) => {
        const next = new Set(c);
        if (!next.delete(code)) next.add(code);
        return next;
      }),
    [],
  );
  const shown: { row: PointsRow; depth: number }[] = [];
  const visit = (rows: readonly PointsRow[], depth: number) => {
    for (const row of rows) {
      shown.push({ row, depth });
      if (row.children && !collapsed.has(row.code)) visit(row.children, depth + 1);
    }
  };
  visit(tree, 0);
  // A plain table, its rows memoised by their row objects: a drag step redraws the dragged node's row
  // and its parents' only (antd's Table redrew every row, a third of a step).
  return (
    <table className="plain-table simulate-points">
      <thead>
        <tr>
          <th scope="col">{t("simulate.col.indicator")}</th>
          <th scope="col" className="sim-points-col">
            {t("simulate.col.points")}
          </th>
        </tr>
      </thead>
      <tbody>
        {shown.map(({ row, depth }) => (
          <PointsTableRow
            key={row.code}
            row={row}
            depth={depth}
            open={row.children ? !collapsed.has(row.code) : undefined}
            onToggle={toggle}
            onChange={onChange}
          />
        ))}
      </tbody>
    </table>
  );
}

const PointsTableRow = memo(function PointsTableRow({
  row: r,
  depth,
  open,
  onToggle,
  onChange,
}: {
  row: PointsRow;
  depth: number;
  /** A parent's: whether its children are shown; undefined for a leaf. */
  open: boolean | undefined;
  onToggle: (code: string) => void;
  onChange: Update;
}) {
  const { t } = useLocale();
  const kind = r.node.points !== undefined ? "points" : r.node.weight !== undefined ? "weights" : null;
  const className = [r.value !== undefined ? "sim-changed" : "", r.failed ? "sim-failed" : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <tr className={className || undefined}>
      <td>
        <span className="sim-node" style={{ paddingInlineStart: depth * 16 }}>
          {open === undefined ? (
            <span className="sim-toggle-space" />
          ) : (
            <button
              type="button"
              className="sim-toggle"
              aria-expanded={open}
              aria-label={t(open ? "simulate.collapse" : "simulate.expand", { node: r.code })}
              onClick={() => onToggle(r.code)}
            >
              {open ? "−" : "+"}
            </button>
          )}
          <span>
            <span className="trace-code">{r.code}</span> {r.name}
          </span>
        </span>
      </td>
      <td>
        {kind ? (
          <PointsCell
            code={r.code}
            kind={kind}
            original={kind === "points" ? r.node.points : r.node.weight}
            value={r.value}
            failed={r.failed}
            onChange={onChange}
          />
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
});

/**
 * One node's points or weight, as a number and a slider. Memoised, and it changes the latest scenario
 * (not the one it was rendered with): a drag step renders this row's controls alone, not every row's.
 */
const PointsCell = memo(function PointsCell({
  code,
  kind,
  original,
  value: changed,
  failed,
  onChange,
}: {
  code: string;
  kind: "points" | "weights";
  original: number | undefined;
  value: number | undefined;
  failed: boolean;
  onChange: Update;
}) {
  const { t } = useLocale();
  const label = t(kind === "points" ? "simulate.pointsOf" : "simulate.weightOf", { node: code });
  const value = changed ?? original;
  const set = (v: number | null) => onChange((c) => withPoints(c, kind, code, v, original));
  // The slider re-scores at every step of a drag (the scorer redoes only what changed). Its steps
  // are hundredths of twice the original, so the original is a step: dragged back, it is no change again.
  const top = Math.max(1, 2 * (original ?? 1));
  return (
    <div className="sim-points">
      <InputNumber
        size="small"
        min={0.01}
        step={1}
        aria-label={label}
        status={failed ? "error" : undefined}
        value={value}
        onChange={set}
      />
      <Slider
        className="sim-slider"
        min={top / 100}
        max={top}
        step={top / 100}
        value={value}
        tooltip={{ open: false }}
        ariaLabelForHandle={t("simulate.sliderOf", { what: label })}
        onChange={(v) => set(Math.round(v * 100) / 100)}
      />
    </div>
  );
});

function GradesTable({
  plan,
  changes,
  onChange,
  lang,
}: {
  plan: Plan;
  changes: ScenarioChanges;
  onChange: (c: ScenarioChanges) => void;
  lang: Lang;
}) {
  const { t } = useLocale();
  const grades = plan.grades ?? [];
  if (grades.length === 0) return <Empty description={t("simulate.noGrades")} />;
  return (
    <Table
      rowKey="code"
      size="small"
      pagination={false}
      dataSource={grades}
      rowClassName={(g) => (changes.grades?.[g.code] ? "sim-changed" : "")}
      columns={[
        {
          title: t("simulate.col.grade"),
          key: "grade",
          render: (_, g) => (lang === "en" ? (g.nameEn ?? g.code) : (g.name ?? g.code)),
        },
        {
          title: t("simulate.col.minScore"),
          key: "minScore",
          render: (_, g) => {
            const changed = changes.grades?.[g.code]?.minScore;
            return (
              <InputNumber
                size="small"
                aria-label={t("simulate.minScoreOf", { grade: g.code })}
                value={changed === undefined ? g.minScore : changed}
                onChange={(v) => onChange(withGrade(changes, g.code, "minScore", v, g.minScore))}
              />
            );
          },
        },
        {
          title: t("simulate.col.share"),
          key: "share",
          render: (_, g) => {
            const original = g.quota?.share;
            const changed = changes.grades?.[g.code]?.share;
            const share = changed === undefined ? original : changed;
            return (
              <InputNumber
                size="small"
                min={0}
                max={100}
                suffix="%"
                aria-label={t("simulate.shareOf", { grade: g.code })}
                value={share === undefined || share === null ? null : Math.round(share * 1000) / 10}
                onChange={(v) =>
                  onChange(withGrade(changes, g.code, "share", v === null ? null : v / 100, original))
                }
              />
            );
          },
        },
      ]}
    />
  );
}

function ValuesTable({
  plan,
  rows,
  changes,
  onChange,
}: {
  plan: Plan;
  rows: readonly DataRow[];
  changes: ScenarioChanges;
  onChange: (c: ScenarioChanges) => void;
}) {
  const { t, lang } = useLocale();
  const [unit, setUnit] = useState(plan.units[0]?.code);
  const name = nodeNames(plan, lang);
  const names = useMemo(() => {
    const m = new Map<string, string>();
    const walk = (nodes: readonly IndicatorSpec[]) => {
      for (const n of nodes) {
        m.set(n.code, name(n.code, n.name));
        if (n.children) walk(n.children);
      }
    };
    walk(plan.indicators);
    return m;
  }, [plan, name]);
  const own = rows.filter((r) => r.unit === unit);
  const changedValue = (r: DataRow) =>
    changes.values?.find(
      (v) =>
        v.unit === r.unit &&
        v.indicator === r.indicator &&
        v.period === r.period &&
        (v.reviewer ?? undefined) === (r.reviewer ?? undefined),
    );
  return (
    <>
      <div className="plan-picker">
        <label htmlFor="simulate-unit">{t("simulate.unit")}</label>
        <LabelledSelect
          id="simulate-unit"
          label={t("simulate.unit")}
          className="simulate-unit-select"
          value={unit}
          onChange={setUnit}
          showSearch={{ optionFilterProp: "label" }}
          options={plan.units.map((u) => ({
            value: u.code,
            label: lang === "en" ? (u.nameEn ?? u.name) : u.name,
          }))}
        />
      </div>
      <Table<DataRow>
        className="simulate-values"
        rowKey={(r) => `${r.indicator} ${r.period} ${r.reviewer ?? ""} ${r.level ?? ""} ${r.ref ?? ""}`}
        size="small"
        pagination={false}
        dataSource={own}
        rowClassName={(r) => (changedValue(r) ? "sim-changed" : "")}
        columns={[
          {
            title: t("simulate.col.indicator"),
            key: "indicator",
            render: (_, r) => (
              <>
                <span className="trace-code">{r.indicator}</span> {names.get(r.indicator) ?? r.indicator}
                {r.reviewer ? <div className="trace-param">{r.reviewer}</div> : null}
              </>
            ),
          },
          { title: t("simulate.col.period"), dataIndex: "period", width: 80 },
          {
            title: t("simulate.col.value"),
            key: "value",
            width: 140,
            render: (_, r) => {
              const changed = changedValue(r);
              return (
                <InputNumber
                  size="small"
                  aria-label={t("simulate.valueOf", { indicator: r.indicator, period: r.period })}
                  value={changed ? changed.value : r.value}
                  onChange={(v) => onChange(withValue(changes, r, v, r.value))}
                />
              );
            },
          },
        ]}
      />
    </>
  );
}

const gradeLabel = (plan: Plan, lang: Lang, grade: string | null) => {
  if (!grade) return "—";
  const g = plan.grades?.find((x) => x.code === grade);
  return lang === "en" ? (g?.nameEn ?? grade) : (g?.name ?? grade);
};

/** The scenario's outcome beside the official run's, unit by unit, the moved ones marked. */
const Outcome = memo(function Outcome({
  result,
  empty,
  onReset,
  onTrace,
  units,
  lang,
  plan,
}: {
  result: Simulation;
  empty: boolean;
  onReset: () => void;
  onTrace: (unit: string) => void;
  units: number;
  lang: Lang;
  plan: Plan;
}) {
  const { t } = useLocale();
  // A unit whose numbers did not move keeps the row object of the step before, and the columns stay
  // the same: a drag step renders again only the cells that changed.
  const before = useRef(new Map<string, ComparedUnit>());
  const rows = useMemo(() => {
    const kept = new Map<string, ComparedUnit>();
    const out = (result.ok ? result.units : []).map((u) => {
      const last = before.current.get(u.unit);
      const row = last && sameComparison(last, u) ? last : u;
      kept.set(u.unit, row);
      return row;
    });
    before.current = kept;
    return out;
  }, [result]);
  const columns = useMemo<ExportColumns<ComparedUnit>>(
    () => [
      {
        title: t("simulate.col.unit"),
        key: "unit",
        render: (_, u) => (
          <Button type="link" className="simulate-unit-link" onClick={() => onTrace(u.unit)}>
            {lang === "en" ? (plan.units.find((x) => x.code === u.unit)?.nameEn ?? u.name) : u.name}
          </Button>
        ),
      },
      {
        title: t("simulate.col.category"),
        key: "category",
        render: (_, u) =>
          (lang === "en" ? plan.categories?.find((c) => c.code === u.category)?.nameEn : undefined) ??
          u.categoryName ??
          t("simulate.standalone"),
      },
      {
        title: t("simulate.col.official"),
        children: [
          { title: t("simulate.col.total"), key: "ot", render: (_, u) => fmt(u.official.total) },
          { title: t("simulate.col.rank"), key: "or", render: (_, u) => fmt(u.official.rank) },
          {
            title: t("simulate.col.grade"),
            key: "og",
            render: (_, u) => gradeLabel(plan, lang, u.official.grade),
          },
        ],
      },
      {
        title: t("simulate.col.simulated"),
        children: [
          {
            title: t("simulate.col.total"),
            key: "st",
            render: (_, u) => <Delta before={u.official.total} after={u.simulated.total} />,
          },
          {
            title: t("simulate.col.rank"),
            key: "sr",
            render: (_, u) => (
              <>
                {fmt(u.simulated.rank)} <Places t={t} places={u.places} />
              </>
            ),
          },
          {
            title: t("simulate.col.grade"),
            key: "sg",
            render: (_, u) =>
              u.simulated.grade !== u.official.grade ? (
                <Tag color="orange">{gradeLabel(plan, lang, u.simulated.grade)}</Tag>
              ) : (
                gradeLabel(plan, lang, u.simulated.grade)
              ),
          },
        ],
      },
    ],
    [t, lang, plan, onTrace],
  );
  return (
    <Card
      title={<h3 className="card-title">{t("simulate.outcome")}</h3>}
      extra={
        <Button onClick={onReset} disabled={empty}>
          {t("simulate.reset")}
        </Button>
      }
    >
      <p className="simulate-timing" aria-live="polite">
        {t("simulate.timing", { units, ms: result.ms.toFixed(1) })}
        {result.ok ? ` · ${t("simulate.movedCount", { n: result.moved })}` : null}
      </p>
      {!result.ok ? (
        <Alert
          type="error"
          showIcon
          title={t("simulate.refused")}
          description={`${result.error.indicator ? `${result.error.indicator}: ` : ""}${result.error.message[lang]}`}
        />
      ) : (
        <div className="table-scroll">
          <PlainTable<ComparedUnit>
            exportTitle={[planTitle(plan, lang), t("simulate.title"), t("simulate.outcome")]}
            className="simulate-outcome"
            rowKey={unitKey}
            rows={rows}
            rowClassName={movedClass}
            columns={columns}
          />
        </div>
      )}
    </Card>
  );
});

const unitKey = (u: ComparedUnit) => u.unit;
const movedClass = (u: ComparedUnit) => (u.moved ? "sim-moved" : "");

const sameComparison = (a: ComparedUnit, b: ComparedUnit) =>
  a.unit === b.unit &&
  a.name === b.name &&
  a.category === b.category &&
  a.categoryName === b.categoryName &&
  a.places === b.places &&
  a.moved === b.moved &&
  (["official", "simulated"] as const).every(
    (k) => a[k].total === b[k].total && a[k].rank === b[k].rank && a[k].grade === b[k].grade,
  );

function Delta({ before, after }: { before: number; after: number }) {
  const d = Math.round((after - before) * 100) / 100;
  return (
    <>
      {fmt(after)}
      {d !== 0 ? <span className={d > 0 ? "sim-up" : "sim-down"}>{` (${d > 0 ? "+" : ""}${d})`}</span> : null}
    </>
  );
}

function Places({ t, places }: { t: T; places: number | null }) {
  if (!places) return null;
  return places > 0 ? (
    <Tag color="green">{t("simulate.up", { n: places })}</Tag>
  ) : (
    <Tag color="red">{t("simulate.down", { n: -places })}</Tag>
  );
}

/** Saved scenarios (mine and the office's shared ones), and saving the one on screen. */
const Scenarios = memo(function Scenarios({
  planId,
  runId,
  changes,
  empty,
  loaded,
  onOpen,
  onSaved,
}: {
  planId: string;
  runId: string;
  /** The scenario on screen, read when it is saved (a drag step does not redraw this card). */
  changes: { readonly current: ScenarioChanges };
  empty: boolean;
  loaded: ScenarioView | null;
  onOpen: (s: ScenarioView) => void;
  onSaved: (s: ScenarioView) => void;
}) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const list = useScenarios(planId);
  const save = useSaveScenario(planId);
  const remove = useDeleteScenario(planId);
  const [dialog, setDialog] = useState(false);
  const [name, setName] = useState("");
  const [shared, setShared] = useState(false);
  const own = loaded?.mine ? loaded : null;
  const begin = () => {
    setName(own?.name ?? "");
    setShared(own?.shared ?? false);
    save.reset();
    setDialog(true);
  };
  return (
    <Card
      className="section"
      title={<h3 className="card-title">{t("simulate.saved")}</h3>}
      extra={
        <Button type="primary" onClick={begin} disabled={empty}>
          {t("simulate.save")}
        </Button>
      }
    >
      {list.isPending ? (
        <Skeleton active />
      ) : list.isError ? (
        <ProblemAlert error={list.error} title={t("error.load")} />
      ) : list.data.items.length === 0 ? (
        <Empty description={t("simulate.noneSaved")} />
      ) : (
        <SavedList
          items={list.data.items}
          current={loaded?.id}
          runId={runId}
          onOpen={onOpen}
          onDelete={remove.mutate}
        />
      )}
      <Modal
        open={dialog}
        title={t("simulate.saveTitle")}
        okText={own ? t("simulate.saveAgain") : t("simulate.save")}
        onCancel={() => setDialog(false)}
        confirmLoading={save.isPending}
        okButtonProps={{ disabled: name.trim() === "" }}
        onOk={() =>
          save.mutate(
            { ...(own ? { id: own.id } : {}), runId, name: name.trim(), changes: changes.current, shared },
            {
              onSuccess: (s) => {
                setDialog(false);
                onSaved(s);
                void message.success(t("simulate.savedOk", { name: s.name }));
              },
            },
          )
        }
      >
        <label htmlFor="scenario-name">{t("simulate.col.name")}</label>
        <Input id="scenario-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        <Checkbox className="section" checked={shared} onChange={(e) => setShared(e.target.checked)}>
          {t("simulate.shareWithOffice")}
        </Checkbox>
        {save.isError ? (
          <ProblemAlert className="section" error={save.error} title={t("simulate.saveFailed")} />
        ) : null}
      </Modal>
    </Card>
  );
});

/** A unit's trace under the scenario, written in the browser from the scenario's scores. */
function SimulatedTrace({
  plan,
  result,
  unit,
  official,
  onClose,
}: {
  plan: Plan;
  result: Extract<Simulation, { ok: true }>;
  unit: string;
  official: ScoringRun;
  onClose: () => void;
}) {
  const { t, lang } = useLocale();
  const u = result.scores.tree.structure.units.indexOf(unit);
  const traced = u === -1 ? null : unitResult(result.scores, u, true);
  const before = official.units.find((x) => x.unit === unit);
  const name =
    lang === "en" ? (plan.units.find((x) => x.code === unit)?.nameEn ?? traced?.name) : traced?.name;
  return (
    <Drawer
      open
      onClose={onClose}
      size="min(1100px, 92vw)"
      title={
        <h2 className="card-title">
          {t("simulate.traceTitle", { unit: name ?? unit })} <Tag color="orange">{t("simulate.badge")}</Tag>
        </h2>
      }
      closable={{ "aria-label": t("explain.close") }}
      destroyOnHidden
    >
      {traced ? (
        <>
          <p>
            {t("simulate.traceSummary", {
              before: fmt(before?.total),
              after: fmt(traced.total),
              grade: gradeLabel(plan, lang, traced.grade),
            })}
          </p>
          <TraceTable plan={result.scores.plan} trace={traced.trace} />
        </>
      ) : (
        <Empty />
      )}
    </Drawer>
  );
}

/** The saved scenarios. Memoised: a drag step changes the scenario being edited, not this list. */
const SavedList = memo(function SavedList({
  items,
  current,
  runId,
  onOpen,
  onDelete,
}: {
  items: ScenarioView[];
  current: string | undefined;
  runId: string;
  onOpen: (s: ScenarioView) => void;
  onDelete: (id: string) => void;
}) {
  const { t, lang } = useLocale();
  return (
    <ExportTable<ScenarioView>
      exportTitle={[t("simulate.title"), t("simulate.saved")]}
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={items}
      rowClassName={(s) => (s.id === current ? "sim-current" : "")}
      columns={[
        {
          title: t("simulate.col.name"),
          key: "name",
          render: (_, s) => (
            <Space size={4} wrap>
              {s.name}
              {s.shared ? <Tag>{t("simulate.shared")}</Tag> : null}
              {s.runId !== runId ? <Tag>{t("simulate.otherRun")}</Tag> : null}
            </Space>
          ),
        },
        { title: t("simulate.col.owner"), dataIndex: "owner" },
        { title: t("simulate.col.size"), dataIndex: "size", width: 80 },
        {
          title: t("simulate.col.updated"),
          key: "u",
          export: { value: (s) => s.updatedAt, kind: "datetime" },
          render: (_, s) => formatTime(lang, s.updatedAt),
        },
        {
          title: t("simulate.col.actions"),
          key: "actions",
          render: (_, s) => (
            <Space size={0}>
              <Button
                type="link"
                onClick={() => onOpen(s)}
                aria-label={t("simulate.openNamed", { name: s.name })}
              >
                {t("simulate.open")}
              </Button>
              {s.mine ? (
                <Popconfirm
                  title={t("simulate.deleteConfirm", { name: s.name })}
                  onConfirm={() => onDelete(s.id)}
                >
                  <Button type="link" danger aria-label={t("simulate.deleteNamed", { name: s.name })}>
                    {t("simulate.delete")}
                  </Button>
                </Popconfirm>
              ) : null}
            </Space>
          ),
        },
      ]}
    />
  );
});
