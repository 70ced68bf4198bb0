import {
  buildPlanStructure,
  checkIndicatorDepth,
  indexPlanData,
  type Plan,
  type PlanStructure,
  planOrganisations,
  planSchema,
  unknownLead,
} from "../engine/index.js";
import { CliError } from "./cli-error.js";
import { describeIssue, formatPath, indicatorOnPath, readJsonFile } from "./json-path.js";
import { readDataRows } from "./plan-data.js";

/** Labels a path inside a plan with the code and name of the indicator it points into. */
function planLabel(json: unknown) {
  return (path: readonly PropertyKey[]): string => {
    // The deepest indicator node on the path, named.
    const node = indicatorOnPath(json, path);
    if (!node) return formatPath(path);
    const rest = formatPath(path.slice(node.length));
    return `${formatPath(path.slice(0, node.length))}（${node.code}${node.name !== undefined ? ` ${node.name}` : ""}）${rest ? `${rest.startsWith("[") ? "" : "."}${rest}` : ""}`;
  };
}

/** A bonus item's level's points (bonus[i].levels.X): never negative. */
const isBonusLevel = (path: readonly PropertyKey[]) => path[0] === "bonus" && path[2] === "levels";

/** Points taken away are not a negative bonus: say where they belong. */
function withPenaltyHint(text: Record<"zh-CN" | "en", string>) {
  return {
    "zh-CN": `${text["zh-CN"]}（加分项的分值不能为负：扣分请用 penalties，按位次加减分请用位次计分的 table.bottom）`,
    en: `${text.en} (a bonus level's points cannot be negative: deductions belong in penalties, points by rank up or down in a rank rule's table.bottom)`,
  };
}

/** Reads a plan document: JSON syntax, the schema, then the semantic checks; errors name the node. */
export function readPlan(path: string): { plan: Plan; structure: PlanStructure; file: string } {
  const { json, file } = readJsonFile(path);
  const tooDeep = checkIndicatorDepth(json);
  if (tooDeep) throw CliError.fromEngine(tooDeep, { file });
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const text = describeIssue(issue, json, planLabel(json));
    throw new CliError({ file }, isBonusLevel(issue.path) ? withPenaltyHint(text) : text);
  }
  const structure = buildPlanStructure(parsed.data);
  if (!structure.ok) throw CliError.fromEngine(structure.error, { file });
  const lead = unknownLead(structure.value, planOrganisations(structure.value));
  if (lead) throw CliError.fromEngine(lead, { file });
  return { plan: parsed.data, structure: structure.value, file };
}

/** Reads a plan and its data, and checks the data against the plan (errors name the data file and sheet). */
export async function readPlanAndData(planPath: string, dataPath: string) {
  const { plan, structure } = readPlan(planPath);
  const data = await readDataRows(dataPath);
  const checked = indexPlanData(structure, data.rows);
  if (!checked.ok) {
    // A value its indicator's value rule refuses is placed at its cell: the row and the value column.
    const { row } = checked.error;
    const place = row === undefined ? data.place : { ...data.place, row, column: data.valueColumn };
    throw CliError.fromEngine(checked.error, place);
  }
  return { plan, structure, rows: data.rows };
}
