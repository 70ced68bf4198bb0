import { basename, dirname, resolve } from "node:path";
import type { z } from "zod";
import { type Spec, specSchema } from "../engine/index.js";
import { bilingual, CliError } from "./cli-error.js";
import { readTextFile } from "./csv.js";

/** Formats a zod issue path as `steps[3].method`. */
function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
}

function issueMessage(issue: z.core.$ZodIssue, spec: unknown): Record<"zh-CN" | "en", string> {
  const where = pathOf(issue.path);
  if (issue.code === "invalid_union" && issue.path.at(-1) !== undefined) {
    // A discriminated union names the tag it did not recognise.
    const got = issue.path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown>)?.[k], spec);
    return bilingual(
      `${where}：无法识别“${JSON.stringify(got)}”`,
      `${where}: ${JSON.stringify(got)} is not recognised`,
    );
  }
  if (issue.code === "invalid_value") {
    const allowed = issue.values.map((v) => JSON.stringify(v)).join(", ");
    return bilingual(
      `${where}：取值无效，应为 ${allowed} 之一`,
      `${where}: invalid value, expected one of ${allowed}`,
    );
  }
  if (issue.code === "unrecognized_keys") {
    return bilingual(
      `${where || "（顶层）"}：不认识的参数 ${issue.keys.join(", ")}`,
      `${where || "(top level)"}: unknown parameter(s) ${issue.keys.join(", ")}`,
    );
  }
  return bilingual(`${where}：${issue.message}`, `${where}: ${issue.message}`);
}

/** Reads and validates spec.json; errors name the file and the JSON path (or line) at fault. */
export function readSpec(path: string): { spec: Spec; dir: string } {
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
    throw new CliError({ file }, issueMessage(issue, json));
  }
  return { spec: parsed.data, dir: dirname(resolve(path)) };
}
