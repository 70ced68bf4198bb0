import { basename } from "node:path";
import { z } from "zod";
import { type CarriedRun, carryBreaches } from "../../engine/index.js";
import { bilingual, CliError } from "../cli-error.js";
import type { CommandContext } from "../command.js";
import { readJsonFile } from "../json-path.js";
import { readPlan } from "../plan-file.js";
import { writeFileAtomically } from "../write-files.js";

interface CarryValues {
  from?: string;
  plan?: string;
  out?: string;
}

/** What carrying reads of a run: `kaohe score --format json`'s output, or the server's run (its `result`). */
const runSchema = z.looseObject({
  planId: z.string(),
  planVersion: z.number().int().nullable().optional(),
  period: z.string(),
  inputHash: z.looseObject({ run: z.string() }),
  breaches: z
    .array(z.looseObject({ code: z.literal("LEAD_TIED_SCORES"), lead: z.string(), indicator: z.string() }))
    .optional(),
});

function readRun(path: string): CarriedRun {
  const { json, file } = readJsonFile(path);
  const wrapped = typeof json === "object" && json !== null && "result" in json ? json.result : json;
  const parsed = runSchema.safeParse(wrapped);
  if (!parsed.success)
    throw new CliError(
      { file },
      bilingual(
        "不是计分结果：应为 kaohe score --format json 的输出，或服务端的计分结果（含 planId、period、inputHash）",
        "not a scoring run: expected the output of kaohe score --format json, or a run from the server (with planId, period, inputHash)",
      ),
    );
  return { ...parsed.data, planVersion: parsed.data.planVersion ?? null };
}

/**
 * kaohe plan carry --from RESULT.json --plan NEXT.json [--out FILE]: the earlier run's lead
 * department breaches carried into the next plan's noCommendation, the plan checked as any plan.
 */
export function runPlanCarry({ values, lang, out, err }: CommandContext<CarryValues>): number {
  for (const name of ["from", "plan"] as const) {
    if (!values[name]) throw new CliError({}, bilingual(`缺少参数 --${name}`, `missing --${name}`), 2);
  }
  const run = readRun(values.from as string);
  const { plan, file } = readPlan(values.plan as string);
  const carried = carryBreaches(run, plan);
  if (!carried.ok) throw CliError.fromEngine(carried.error, { file: basename(values.from as string) });
  const { carried: added, notCarried } = carried.value;
  const text = `${JSON.stringify(carried.value.plan, null, 2)}\n`;
  // The plan goes to the file or standard output; what was done goes beside it, never into it.
  const say = values.out ? out : err;
  for (const n of notCarried) say(n.message[lang]);
  for (const e of added)
    say(
      lang === "zh-CN"
        ? `${e.unit}：取消评优评先资格，${e.reason}`
        : `${e.unit}: commendation withheld, ${e.reasonEn}`,
    );
  if (added.length === 0)
    say(
      lang === "zh-CN"
        ? `方案 ${plan.id}（${file}）已含这些结转，未作改动`
        : `plan ${plan.id} (${file}) already carries these: unchanged`,
    );
  if (values.out) writeFileAtomically(values.out, text);
  else out(text.trimEnd());
  return 0;
}
