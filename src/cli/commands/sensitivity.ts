import { buildSensitivityModel, type SensitivityResult, type SensitivitySpec } from "../../engine/index.js";
import { bilingual, CliError } from "../cli-error.js";
import type { CommandContext } from "../command.js";
import { numberCell, toCsv } from "../csv.js";
import { readPlanAndData } from "../plan-file.js";
import { progressBar } from "../progress.js";
import { runSensitivityParallel } from "../sensitivity-pool.js";
import { writeFileAtomically } from "../write-files.js";

const fmt = (x: number | null) => (x === null ? "" : numberCell(Math.round(x * 1e6) / 1e6, false));

function resultCsv(result: SensitivityResult, grades: string[]): string {
  const units = toCsv(
    [
      "unit",
      "category",
      "nominalRank",
      "medianRank",
      "p5Rank",
      "p95Rank",
      "nominalGrade",
      ...grades.map((g) => `P(${g})`),
    ],
    result.units.map((u) => [
      u.unit,
      u.category ?? "",
      fmt(u.nominalRank),
      fmt(u.medianRank),
      fmt(u.p5Rank),
      fmt(u.p95Rank),
      u.nominalGrade ?? "",
      ...grades.map((g) => fmt(u.gradeProbability[g] ?? 0)),
    ]),
  );
  if (result.indices.length === 0) return units;
  const indices = toCsv(
    ["input", "firstOrder", "total"],
    result.indices.map((i) => [i.input, fmt(i.firstOrder), fmt(i.total)]),
  );
  return `${units}\n${indices}`;
}

interface SensitivityValues {
  plan?: string;
  data?: string;
  runs: string;
  seed: string;
  weights: string;
  normalisers: boolean;
  aggregation?: string;
  "no-drop": boolean;
  "no-indices": boolean;
  workers?: string;
  out?: string;
  format: string;
}

export async function runSensitivityCommand({
  values,
  lang,
  out,
}: CommandContext<SensitivityValues>): Promise<number> {
  for (const name of ["plan", "data"] as const) {
    if (!values[name]) throw new CliError({}, bilingual(`缺少参数 --${name}`, `missing --${name}`), 2);
  }
  const integer = (name: string, text: string, min: number) => {
    const v = Number(text);
    if (!Number.isInteger(v) || v < min) {
      throw new CliError(
        {},
        bilingual(`--${name} 必须是不小于 ${min} 的整数`, `--${name} must be an integer >= ${min}`),
        2,
      );
    }
    return v;
  };
  const runs = integer("runs", values.runs, 2);
  const seed = integer("seed", values.seed, 0);
  const levels = values.weights.split(",").map(Number);
  if (levels.some((x) => !(x >= 0 && x < 1))) {
    throw new CliError(
      {},
      bilingual(
        "--weights 必须在 [0, 1) 之间（可按层级用逗号分隔）",
        "--weights must be in [0, 1) (or one per level, comma-separated)",
      ),
      2,
    );
  }
  const noise = levels.length === 1 ? (levels[0] as number) : levels;
  const aggregation = values.aggregation?.split(",").map((s) => s.trim());
  if (aggregation?.some((a) => a !== "arithmetic" && a !== "geometric")) {
    throw new CliError(
      {},
      bilingual(
        "--aggregation 只能列 arithmetic、geometric",
        "--aggregation takes arithmetic and/or geometric",
      ),
      2,
    );
  }
  if (values.format !== "csv" && values.format !== "json") {
    throw new CliError({}, bilingual("--format 只能是 csv 或 json", "--format must be csv or json"), 2);
  }
  const { plan, rows } = await readPlanAndData(values.plan as string, values.data as string);
  const spec: SensitivitySpec = {
    ...(levels.some((x) => x > 0) ? { weights: noise } : {}),
    normalisers: values.normalisers,
    ...(aggregation ? { aggregation: aggregation as ("arithmetic" | "geometric")[] } : {}),
    drop: !values["no-drop"],
  };
  const model = buildSensitivityModel(plan, rows, spec);
  if (!model.ok) throw CliError.fromEngine(model.error);
  const options = { runs, seed, indices: !values["no-indices"] };
  const bar = progressBar(process.stderr, lang === "zh-CN" ? "敏感性分析" : "sensitivity");
  const result = await runSensitivityParallel(
    model.value,
    plan,
    rows,
    spec,
    options,
    values.workers ? integer("workers", values.workers, 1) : undefined,
    (done, total) => bar.update(done, total),
  );
  bar.end();
  const grades = (plan.grades ?? []).map((g) => g.code);
  const text = values.format === "json" ? `${JSON.stringify(result, null, 2)}\n` : resultCsv(result, grades);
  if (values.out) writeFileAtomically(values.out, text);
  else out(text.trimEnd());
  return 0;
}
