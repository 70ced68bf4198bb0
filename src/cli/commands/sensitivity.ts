import { parseArgs } from "node:util";
import {
  buildSensitivityModel,
  type Lang,
  type SensitivityResult,
  type SensitivitySpec,
} from "../../engine/index.js";
import { bilingual, CliError } from "../cli-error.js";
import { numberCell, toCsv } from "../csv.js";
import { readPlanAndData } from "../plan-file.js";
import { progressBar } from "../progress.js";
import { runSensitivityParallel } from "../sensitivity-pool.js";
import { writeFileAtomically } from "../write-files.js";

export const sensitivityHelp: Record<Lang, string> = {
  "zh-CN": `kaohe sensitivity — 考核结果的不确定性与敏感性分析（蒙特卡洛）

用法：kaohe sensitivity --plan plan.json --data values.csv [--runs 1000] [--seed 1] [--weights 0.25]
                        [--normalisers] [--aggregation arithmetic,geometric] [--no-drop] [--no-indices]
                        [--workers N] [--out 文件] [--format csv|json]

  --runs         基础样本数 N（默认 1000）；计算敏感性指数时共评估 N ×（输入数 + 2）次（Saltelli 设计）
  --seed         随机数种子（默认 1），同一种子结果完全相同
  --weights      各节点权重的相对扰动幅度（均匀分布 ±，默认 0.25；0 表示不扰动；可按层级给出，如 0.1,0.2,0.3）
  --normalisers  相对评价规则在其 alternatives 标准化方法之间切换
  --aggregation  汇总方法在所列方法之间切换
  --no-drop      不做"逐一去掉一个指标"的检验（默认做）
  --no-indices   只做不确定性分析，不计算一阶和总敏感性指数
  --workers      并行线程数（默认 CPU 核数）
输出每个单位的名义名次、名次中位数、5% 和 95% 分位、各等次的概率（等次稳定性），以及每个输入的一阶和总敏感性指数。
在终端上显示进度条，管道输出时不显示。`,
  en: `kaohe sensitivity — uncertainty and sensitivity analysis of the results (Monte Carlo)

usage: kaohe sensitivity --plan plan.json --data values.csv [--runs 1000] [--seed 1] [--weights 0.25]
                         [--normalisers] [--aggregation arithmetic,geometric] [--no-drop] [--no-indices]
                         [--workers N] [--out FILE] [--format csv|json]

  --runs         base sample size N (default 1000); with indices the plan is evaluated N x (inputs + 2) times
                 (Saltelli design)
  --seed         random seed (default 1): the same seed gives the same result
  --weights      relative noise on every node's weight (uniform +-, default 0.25; 0 = none; or one per level
                 of the tree, top first, e.g. 0.1,0.2,0.3)
  --normalisers  switch relative rules between their alternative normalisers
  --aggregation  switch every parent between these aggregation methods
  --no-drop      do not drop one indicator at a time (done by default)
  --no-indices   uncertainty only: no first-order and total sensitivity indices
  --workers      threads (default: the number of cores)
Prints per unit the nominal rank, median, 5th and 95th percentile rank and the probability of each grade,
and per input its first-order and total sensitivity index. A progress bar shows on a terminal only.`,
};

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

export async function runSensitivityCommand(
  argv: string[],
  lang: Lang,
  out: (s: string) => void,
): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      plan: { type: "string" },
      data: { type: "string" },
      runs: { type: "string", default: "1000" },
      seed: { type: "string", default: "1" },
      weights: { type: "string", default: "0.25" },
      normalisers: { type: "boolean", default: false },
      aggregation: { type: "string" },
      "no-drop": { type: "boolean", default: false },
      "no-indices": { type: "boolean", default: false },
      workers: { type: "string" },
      out: { type: "string" },
      format: { type: "string", default: "csv" },
      help: { type: "boolean", short: "h" },
      lang: { type: "string" },
    },
    strict: true,
  });
  if (values.help) {
    out(sensitivityHelp[lang]);
    return 0;
  }
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
