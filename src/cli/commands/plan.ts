import { type Lang, planJsonSchema } from "../../engine/index.js";
import { bilingual, CliError } from "../cli-error.js";
import { readPlan } from "../plan-file.js";

export const planHelp: Record<Lang, string> = {
  "zh-CN": `kaohe plan — 考核方案文件

用法：
  kaohe plan validate plan.json   检查方案（格式、分值合计、类别、名额比例、引用），出错时指出具体指标
  kaohe plan schema               输出方案格式的 JSON Schema（由代码所用的同一 zod 定义生成）`,
  en: `kaohe plan — assessment plan documents

usage:
  kaohe plan validate plan.json   check a plan (format, points adding up, categories, quotas, references);
                                  errors name the indicator at fault
  kaohe plan schema               print the JSON Schema of the plan format (generated from the zod schema the
                                  code itself uses)`,
};

export async function runPlan(argv: string[], lang: Lang, out: (s: string) => void): Promise<number> {
  const [action, path] = argv.filter((a) => a !== "--lang" && a !== "en" && a !== "zh-CN");
  if (action === undefined || action === "--help" || action === "-h") {
    out(planHelp[lang]);
    return 0;
  }
  if (action === "schema") {
    out(JSON.stringify(planJsonSchema(), null, 2));
    return 0;
  }
  if (action === "validate") {
    if (!path) throw new CliError({}, bilingual("缺少方案文件路径", "missing the plan file"), 2);
    const { plan, structure } = readPlan(path);
    out(
      lang === "zh-CN"
        ? `方案 ${plan.id}（${plan.name}）有效：${structure.nodes.length} 个指标（${structure.leaves.length} 个末级），${structure.units.length} 个单位，${structure.categories.length} 个类别，满分 ${Math.round(structure.maxBase * 100) / 100} 分`
        : `plan ${plan.id} (${plan.name}) is valid: ${structure.nodes.length} indicators (${structure.leaves.length} leaves), ${structure.units.length} units, ${structure.categories.length} categories, ${Math.round(structure.maxBase * 100) / 100} points`,
    );
    return 0;
  }
  throw new CliError({}, bilingual(`未知的 plan 子命令“${action}”`, `unknown plan action "${action}"`), 2);
}
