import { planJsonSchema } from "../../engine/index.js";
import type { CommandContext } from "../command.js";
import { readPlan } from "../plan-file.js";

/** kaohe plan schema: the JSON Schema of the plan format. */
export function runPlanSchema({ out }: CommandContext): number {
  out(JSON.stringify(planJsonSchema(), null, 2));
  return 0;
}

/** kaohe plan validate plan.json */
export function runPlanValidate({ positionals, lang, out }: CommandContext): number {
  const { plan, structure } = readPlan(positionals[0] as string);
  const offices = structure.offices.length;
  out(
    lang === "zh-CN"
      ? `方案 ${plan.id}（${plan.name}）有效：${structure.nodes.length} 个指标（${structure.leaves.length} 个末级），${structure.units.length} 个单位，${structure.categories.length} 个类别，${offices ? `${offices} 个汇总部门，` : ""}满分 ${Math.round(structure.maxBase * 100) / 100} 分`
      : `plan ${plan.id} (${plan.name}) is valid: ${structure.nodes.length} indicators (${structure.leaves.length} leaves), ${structure.units.length} units, ${structure.categories.length} categories, ${offices ? `${offices} offices, ` : ""}${Math.round(structure.maxBase * 100) / 100} points`,
  );
  return 0;
}
