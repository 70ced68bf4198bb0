import { basename } from "node:path";
import { type Plan, type ScoringRun, scorePlan } from "../../engine/index.js";
import { nodeSha256 } from "../../server/modules/runs/node-sha256.js";
import { bilingual, CliError } from "../cli-error.js";
import type { CommandContext } from "../command.js";
import { readOverrides } from "../plan-data.js";
import { readPlanAndData } from "../plan-file.js";
import { explainUnit, resultsCsv } from "../results-output.js";
import { writeFileAtomically } from "../write-files.js";

interface ScoreValues {
  plan?: string;
  data?: string;
  out?: string;
  format: string;
  explain?: string;
  overrides?: string;
  office?: string;
}

export async function runScore({ values, lang, out }: CommandContext<ScoreValues>): Promise<number> {
  for (const name of ["plan", "data"] as const) {
    if (!values[name]) throw new CliError({}, bilingual(`缺少参数 --${name}`, `missing --${name}`), 2);
  }
  if (values.format !== "csv" && values.format !== "json") {
    throw new CliError({}, bilingual("--format 只能是 csv 或 json", "--format must be csv or json"), 2);
  }
  const { plan, rows } = await readPlanAndData(values.plan as string, values.data as string);
  const overrides = values.overrides ? readOverrides(values.overrides) : [];
  // Traces only where they are printed: the CSV has none, --explain one unit's.
  const explain =
    values.explain !== undefined ? [values.explain] : values.format === "json" ? ("all" as const) : [];
  const run = scorePlan(plan, rows, { overrides, explain, sha256: nodeSha256 });
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
  const shown = values.office === undefined ? run.value : ofOffice(run.value, plan, values.office);
  const text = values.format === "json" ? `${JSON.stringify(shown, null, 2)}\n` : resultsCsv(shown);
  if (values.out) writeFileAtomically(values.out, text);
  else out(text.trimEnd());
  return 0;
}

/** --office: only the units that office collects (汇总部门), the run otherwise as it is. */
function ofOffice(run: ScoringRun, plan: Plan, office: string): ScoringRun {
  if (!(plan.offices ?? []).some((o) => o.code === office)) {
    const known = (plan.offices ?? []).map((o) => o.code).join(", ") || "—";
    throw new CliError(
      {},
      bilingual(
        `方案中没有汇总部门 ${office}（方案的 offices：${known}）`,
        `no office ${office} in the plan (its offices: ${known})`,
      ),
      2,
    );
  }
  return { ...run, units: run.units.filter((u) => u.office?.code === office) };
}
