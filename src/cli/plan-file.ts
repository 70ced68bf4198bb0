import { basename } from "node:path";
import { buildPlanStructure, type Plan, type PlanStructure, planSchema } from "../engine/index.js";
import { bilingual, CliError } from "./cli-error.js";
import { readTextFile } from "./csv.js";
import { at, describeIssue, formatPath } from "./json-path.js";

/** Labels a path inside a plan with the code and name of the indicator it points into. */
function planLabel(json: unknown) {
  return (path: readonly PropertyKey[]): string => {
    const text = formatPath(path);
    // Find the deepest indicator node on the path and name it.
    for (let k = path.length; k > 0; k--) {
      if (path[k - 2] === "indicators" || path[k - 2] === "children") {
        const node = at(json, path.slice(0, k)) as { code?: unknown; name?: unknown } | undefined;
        if (node && typeof node.code === "string") {
          const rest = formatPath(path.slice(k));
          return `${formatPath(path.slice(0, k))}（${node.code}${typeof node.name === "string" ? ` ${node.name}` : ""}）${rest ? `${rest.startsWith("[") ? "" : "."}${rest}` : ""}`;
        }
      }
    }
    return text;
  };
}

/** Reads a plan document: JSON syntax, the schema, then the semantic checks; errors name the node. */
export function readPlan(path: string): { plan: Plan; structure: PlanStructure; file: string } {
  const file = basename(path);
  const text = readTextFile(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(
      { file },
      bilingual(`JSON 格式错误（${(e as Error).message}）`, `invalid JSON (${(e as Error).message})`),
    );
  }
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    throw new CliError({ file }, describeIssue(parsed.error.issues[0]!, json, planLabel(json)));
  }
  const structure = buildPlanStructure(parsed.data);
  if (!structure.ok) throw CliError.fromEngine(structure.error, { file });
  return { plan: parsed.data, structure: structure.value, file };
}
