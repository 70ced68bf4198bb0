import type { Coin, CoinSlice } from "./coin.js";
import { type Dataset, selectColumns, splitRows, stackRows } from "./dataset.js";
import { type EngineError, type EngineWarning, engineError, fail, ok, type Result } from "./errors.js";
import type { WeightSet } from "./framework.js";
import { normaliserOf, type Spec, type Step, type StepName } from "./spec.js";
import { aggregate, aggregateCodes } from "./steps/aggregate.js";
import { denominate } from "./steps/denominate.js";
import { impute } from "./steps/impute.js";
import { imputePanel, type PanelImputeMethod } from "./steps/impute-panel.js";
import { type Normaliser, normalise } from "./steps/normalise.js";
import { type ScreenResult, screenUnits } from "./steps/screen.js";
import { type TreatResult, treat } from "./steps/treat.js";
import { ENGINE_VERSION } from "./version.js";

/** One logged step: enough to regenerate the result (COINr's Log) and to audit what happened. */
export interface LogEntry {
  step: StepName;
  /** The step exactly as specified. */
  params: Step;
  input: string;
  output: string;
  /** Per time point: what the step did (cells imputed, units removed, ...). */
  summary: Record<string, unknown>[];
}

export interface SliceResult {
  time: number | null;
  /** Datasets in the order they were produced, starting with "Raw". */
  datasets: Map<string, Dataset>;
  /** Outlier treatment details of the last treat step. */
  treat?: TreatResult;
  /** Unit screening summary of the last screen step. */
  screen?: ScreenResult;
}

export interface PipelineResult {
  engineVersion: string;
  slices: SliceResult[];
  log: LogEntry[];
  warnings: EngineWarning[];
  /** Name of the last dataset produced. */
  latest: string;
}

const defaultOutput: Record<StepName, string> = {
  denominate: "Denominated",
  impute: "Imputed",
  screen: "Screened",
  treat: "Treated",
  normalise: "Normalised",
  aggregate: "Aggregated",
};

const panelMethods = new Set<string>(["latest", "linear", "constant", "linear-constant"]);

/**
 * Runs the steps of a spec in order on a coin's raw data. Pure: the same coin and spec always give
 * the same result, and `log` alone is enough to run it again (see `regenerate`).
 */
export function runPipeline(coin: Coin, spec: Spec): Result<PipelineResult> {
  const slices: SliceResult[] = coin.slices.map((s) => ({
    time: s.time,
    datasets: new Map([["Raw", s.raw]]),
  }));
  const log: LogEntry[] = [];
  const warnings: EngineWarning[] = [];
  let latest = "Raw";
  for (const [index, step] of spec.steps.entries()) {
    const input = step.input ?? latest;
    const output = step.output ?? defaultOutput[step.step];
    const inputs: Dataset[] = [];
    for (const s of slices) {
      const d = s.datasets.get(input);
      if (!d) {
        return fail(
          engineError(
            "UNKNOWN_DATASET",
            `第 ${index + 1} 步（${step.step}）要读取的数据集 ${input} 不存在`,
            `step ${index + 1} (${step.step}) reads dataset ${input}, which does not exist`,
          ),
        );
      }
      inputs.push(d);
    }
    const next = spec.steps[index + 1];
    // Normalised data that the next step aggregates: normalise leaves room for the aggregates (room.ts).
    const aggregatedNext = next?.step === "aggregate" && (next.input ?? output) === output;
    const ran = runStep(coin, spec, step, inputs, slices, warnings, aggregatedNext);
    if (!ran.ok) return fail(withStep(ran.error, index, step.step));
    for (const [k, d] of ran.value.outputs.entries()) slices[k]!.datasets.set(output, d);
    log.push({ step: step.step, params: step, input, output, summary: ran.value.summary });
    latest = output;
  }
  return ok({ engineVersion: ENGINE_VERSION, slices, log, warnings, latest });
}

/** Runs the logged steps again on the same coin: the result is identical. */
export function regenerate(coin: Coin, spec: Spec, log: readonly LogEntry[]): Result<PipelineResult> {
  return runPipeline(coin, { ...spec, steps: log.map((e) => e.params) });
}

function withStep(error: EngineError, index: number, step: string): EngineError {
  return {
    ...error,
    message: {
      "zh-CN": `第 ${index + 1} 步（${step}）：${error.message["zh-CN"]}`,
      en: `step ${index + 1} (${step}): ${error.message.en}`,
    },
  };
}

interface StepOutput {
  outputs: Dataset[];
  summary: Record<string, unknown>[];
}

function runStep(
  coin: Coin,
  spec: Spec,
  step: Step,
  inputs: Dataset[],
  slices: SliceResult[],
  warnings: EngineWarning[],
  aggregatedNext = false,
): Result<StepOutput> {
  const each = <T>(f: (d: Dataset, slice: CoinSlice, k: number) => Result<T>): Result<T[]> => {
    const out: T[] = [];
    for (const [k, d] of inputs.entries()) {
      const r = f(d, coin.slices[k]!, k);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  };
  const summarise = <T>(
    r: Result<T[]>,
    data: (t: T) => Dataset,
    summary: (t: T) => Record<string, unknown>,
  ) => (r.ok ? ok({ outputs: r.value.map(data), summary: r.value.map(summary) }) : r);

  switch (step.step) {
    case "denominate": {
      const by = new Map(
        Object.entries(step.by ?? {}).length > 0
          ? Object.entries(step.by ?? {})
          : coin.framework.nodes.flatMap((n) =>
              n.level === 1 && n.denominator ? [[n.code, n.denominator]] : [],
            ),
      );
      const table = step.denoms === undefined ? undefined : coin.denominatorTables.get(step.denoms);
      if (step.denoms !== undefined && !table) {
        return fail(
          engineError(
            "UNKNOWN_DENOMS",
            `分母表 ${step.denoms} 不存在`,
            `denominator table ${step.denoms} not found`,
          ),
        );
      }
      const scaleFactor =
        typeof step.scaleFactor === "number"
          ? new Map([...by.keys()].map((c) => [c, step.scaleFactor as number]))
          : new Map(Object.entries(step.scaleFactor ?? {}));
      return summarise(
        each((d, slice) => {
          const known = new Set(
            [...(table?.values() ?? [...slice.units.values()].map((u) => u.denominators))].flatMap((r) =>
              Object.keys(r),
            ),
          );
          for (const [code, den] of by) {
            if (!known.has(den)) {
              return fail(
                engineError(
                  "UNKNOWN_DENOMINATOR",
                  `指标 ${code} 的分母 ${den} 不存在`,
                  `denominator ${den} of indicator ${code} does not exist`,
                  { indicator: code },
                ),
              );
            }
          }
          const denominatorOf = (unit: string, den: string) =>
            table ? table.get(unit)?.[den] : slice.units.get(unit)?.denominators[den];
          return denominate(d, { by, denominatorOf, scaleFactor });
        }),
        (d) => d,
        () => ({ denominated: by.size }),
      );
    }
    case "impute": {
      if (panelMethods.has(step.method)) {
        const times = coin.slices.map((s) => s.time);
        if (times.some((t) => t === null) || times.length < 2) {
          return fail(
            engineError(
              "PANEL_NEEDS_TIME",
              `${step.method} 插补需要多期面板数据（Time 列）`,
              `${step.method} imputation needs panel data with several time points (a Time column)`,
            ),
          );
        }
        const r = imputePanel(
          inputs.map((data, k) => ({ time: times[k] as number, data })),
          { method: step.method as PanelImputeMethod, ...(step.maxTime ? { maxTime: step.maxTime } : {}) },
        );
        if (!r.ok) return r;
        return ok({
          outputs: r.value.map((s) => s.data),
          summary: r.value.map((s, k) => ({ imputed: countNa(inputs[k]!) - countNa(s.data) })),
        });
      }
      const group = step.group;
      if ((step.method === "mean_group" || step.method === "median_group") && !group) {
        return fail(
          engineError(
            "IMPUTE_NEEDS_GROUP",
            `${step.method} 插补需要 group 参数`,
            `${step.method} needs a group`,
          ),
        );
      }
      if (group !== undefined && !coin.groupNames.includes(group)) {
        return fail(
          engineError(
            "UNKNOWN_GROUP",
            `分组列 ${group} 不存在（可用：${coin.groupNames.join("、")}）`,
            `group column ${group} does not exist (available: ${coin.groupNames.join(", ")})`,
          ),
        );
      }
      return summarise(
        each((d, slice) =>
          impute(d, {
            method: step.method as "mean" | "median" | "mean_group" | "median_group",
            groups:
              group === undefined ? undefined : d.units.map((u) => slice.units.get(u)?.groups[group] ?? null),
          }),
        ),
        (r) => r.data,
        (r) => ({ imputed: r.imputed, remaining: r.remaining }),
      );
    }
    case "screen": {
      for (const f of step.force ?? []) {
        if (!inputs.some((d) => d.units.includes(f.unit))) {
          return fail(
            engineError(
              "UNKNOWN_UNIT",
              `强制保留/剔除的单位 ${f.unit} 不存在`,
              `forced unit ${f.unit} does not exist`,
              {
                unit: f.unit,
              },
            ),
          );
        }
      }
      const results = inputs.map((d) => screenUnits(d, step));
      results.forEach((r, k) => {
        slices[k]!.screen = r;
      });
      return ok({
        outputs: results.map((r) => r.data),
        summary: results.map((r) => ({ removed: r.removed })),
      });
    }
    case "treat": {
      const results = inputs.map((d) => treat(d, step));
      results.forEach((r, k) => {
        slices[k]!.treat = r;
      });
      return ok({
        outputs: results.map((r) => r.data),
        summary: results.map((r) => ({
          winsorised: r.details.filter((d) => (d.nwin ?? 0) > 0 && !d.transform).map((d) => d.indicator),
          transformed: r.details.filter((d) => d.transform).map((d) => d.indicator),
        })),
      });
    }
    case "normalise": {
      const options = {
        normaliser: normaliserOf(step) as Normaliser,
        ...(step.indicators ? { indicators: step.indicators as Record<string, Normaliser> } : {}),
      };
      const global = (step.global ?? true) && inputs.length > 1;
      const parts = global ? [stackRows(inputs)] : inputs;
      // Rows normalised together are split again (copied): room would be left in the stacked buffer.
      const room = aggregatedNext && !global ? aggregateCodes(coin.framework).length : 0;
      const results: Dataset[] = [];
      for (const part of parts) {
        const r = normalise(part, coin.framework, room > 0 ? { ...options, room } : options);
        if (!r.ok) return r;
        warnings.push(...r.value.warnings);
        results.push(r.value.data);
      }
      const outputs = global
        ? splitRows(
            results[0]!,
            inputs.map((d) => d.units.length),
          )
        : results;
      return ok({ outputs, summary: outputs.map(() => ({})) });
    }
    case "aggregate": {
      const weights = resolveWeights(coin, spec, step.weights);
      if (!weights.ok) return weights;
      const indicators = coin.framework.indicators;
      return summarise(
        each((d) =>
          aggregate(
            d.columns.length === indicators.length ? d : selectColumns(d, indicators),
            coin.framework,
            {
              methods: step.methods,
              ...(step.p === undefined ? {} : { p: step.p }),
              ...(step.dataThreshold === undefined ? {} : { dataThreshold: step.dataThreshold }),
              ...(weights.value === undefined ? {} : { weights: weights.value }),
            },
          ),
        ),
        (d) => d,
        () => ({}),
      );
    }
  }
}

function countNa(d: Dataset): number {
  let c = 0;
  for (const v of d.na) c += v;
  return c;
}

type WeightRef = string | Record<string, number>;

function resolveWeights(
  coin: Coin,
  spec: Spec,
  ref: WeightRef | (WeightRef | null)[] | undefined,
): Result<WeightSet | (WeightSet | undefined)[] | undefined> {
  const one = (r: WeightRef | null): Result<WeightSet | undefined> => {
    if (r === null) return ok(undefined);
    const inline = typeof r === "string" ? spec.weights?.[r] : r;
    const named =
      typeof r === "string" && !inline ? coin.weightSets.get(r) : new Map(Object.entries(inline ?? {}));
    if (!named) {
      return fail(engineError("UNKNOWN_WEIGHTS", `权重集 ${r} 不存在`, `weight set ${r} not found`));
    }
    for (const code of named.keys()) {
      if (!coin.framework.byCode.has(code)) {
        return fail(
          engineError(
            "WEIGHT_UNKNOWN_CODE",
            `权重集 ${r} 中的 ${code} 不在指标树中`,
            `${code} in weight set ${r} is not in the tree`,
            {
              indicator: code,
            },
          ),
        );
      }
    }
    return ok(named);
  };
  if (ref === undefined) return ok(undefined);
  if (!Array.isArray(ref)) return one(ref);
  const out: (WeightSet | undefined)[] = [];
  for (const r of ref) {
    const w = one(r);
    if (!w.ok) return w;
    out.push(w.value);
  }
  return ok(out);
}
