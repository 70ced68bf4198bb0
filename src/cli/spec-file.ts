import { dirname, resolve } from "node:path";
import { type Spec, specSchema } from "../engine/index.js";
import { bilingual, CliError } from "./cli-error.js";
import { describeIssue, readJsonFile } from "./json-path.js";

/** Reads and validates spec.json; errors name the file and the JSON path (or line) at fault. */
export function readSpec(path: string): { spec: Spec; dir: string } {
  const { json, file } = readJsonFile(path);
  const parsed = specSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // A step tag that matched nothing: point at the step and list the known ones.
    if (issue.code === "invalid_union" && issue.path[0] === "steps" && issue.path.at(-1) === "step") {
      const step = (json as { steps: Record<string, unknown>[] }).steps[issue.path[1] as number];
      const known = "denominate, impute, screen, treat, normalise, aggregate";
      throw new CliError(
        { file },
        bilingual(
          `steps[${String(issue.path[1])}].step：未知步骤“${String(step?.step)}”（可用：${known}）`,
          `steps[${String(issue.path[1])}].step: unknown step "${String(step?.step)}" (known: ${known})`,
        ),
      );
    }
    throw new CliError({ file }, describeIssue(issue, json));
  }
  return { spec: parsed.data, dir: dirname(resolve(path)) };
}
