import { basename } from "node:path";
import { parseArgs } from "node:util";
import { type Lang, scorePlan } from "../../engine/index.js";
import { bilingual, CliError } from "../cli-error.js";
import { readOverrides } from "../plan-data.js";
import { readPlanAndData } from "../plan-file.js";
import { explainUnit, resultsCsv } from "../results-output.js";
import { writeFileAtomically } from "../write-files.js";

export const scoreHelp: Record<Lang, string> = {
  "zh-CN": `kaohe score — 按考核方案计分、分类排名、评定等次

用法：kaohe score --plan plan.json --data values.csv [--out results.csv | --format json] [--explain 单位]
                  [--overrides overrides.csv]

  --plan       考核方案（kaohe-plan/1 格式，见 kaohe plan schema）
  --data       长表数据：unit（单位）、indicator（指标）、period（期间）、value（数值），可选 source、level、ref、reviewer；
               支持 .csv 和 .xlsx
  --out        写入文件（不给则输出到标准输出）
  --format     csv（默认：每个单位一行，含总分、加减分、名次、等次及每个指标得分）或 json（含完整计分过程）
  --explain    打印某个单位每一项得分的来历
  --overrides  调整等次：unit、grade、reason（必须写明理由），结果中同时保留按规则的等次`,
  en: `kaohe score — score an assessment plan, rank within categories and grade

usage: kaohe score --plan plan.json --data values.csv [--out results.csv | --format json] [--explain UNIT]
                   [--overrides overrides.csv]

  --plan       the assessment plan (kaohe-plan/1; see kaohe plan schema)
  --data       long-form data: unit, indicator, period, value [, source, level, ref, reviewer]; .csv or .xlsx
  --out        write to this file (default: standard output)
  --format     csv (default: one row per unit with total, bonus, penalty, rank, grade and every node's points)
               or json (everything, with the full trace of every score)
  --explain    print where every point of one unit came from
  --overrides  forced grades: unit, grade, reason (required); the grade by the rules is kept beside it`,
};

export async function runScore(argv: string[], lang: Lang, out: (s: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      plan: { type: "string" },
      data: { type: "string" },
      out: { type: "string" },
      format: { type: "string", default: "csv" },
      explain: { type: "string" },
      overrides: { type: "string" },
      help: { type: "boolean", short: "h" },
      lang: { type: "string" },
    },
    strict: true,
  });
  if (values.help) {
    out(scoreHelp[lang]);
    return 0;
  }
  for (const name of ["plan", "data"] as const) {
    if (!values[name]) throw new CliError({}, bilingual(`缺少参数 --${name}`, `missing --${name}`), 2);
  }
  if (values.format !== "csv" && values.format !== "json") {
    throw new CliError({}, bilingual("--format 只能是 csv 或 json", "--format must be csv or json"), 2);
  }
  const { plan, rows } = await readPlanAndData(values.plan as string, values.data as string);
  const overrides = values.overrides ? readOverrides(values.overrides) : [];
  const run = scorePlan(plan, rows, { overrides });
  // With plan and data valid, only the overrides can still be at fault.
  if (!run.ok) throw CliError.fromEngine(run.error, { file: basename(values.overrides ?? "") });
  if (values.explain !== undefined) {
    const unit = run.value.units.find((u) => u.unit === values.explain);
    if (!unit)
      throw new CliError(
        {},
        bilingual(`方案中没有单位 ${values.explain}`, `no unit ${values.explain} in the plan`),
        2,
      );
    out(explainUnit(run.value, unit, lang));
    return 0;
  }
  const text = values.format === "json" ? `${JSON.stringify(run.value, null, 2)}\n` : resultsCsv(run.value);
  if (values.out) writeFileAtomically(values.out, text);
  else out(text.trimEnd());
  return 0;
}
