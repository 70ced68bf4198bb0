import { basename } from "node:path";
import { bilingual, CliError } from "./cli-error.js";
import { readTextFile } from "./csv.js";

export { at, describeIssue, formatPath, indicatorOnPath } from "../engine/plan/issues.js";

/** Reads and parses a JSON file; invalid JSON is an error naming the file. */
export function readJsonFile(path: string): { json: unknown; file: string } {
  const file = basename(path);
  const text = readTextFile(path);
  try {
    return { json: JSON.parse(text), file };
  } catch (e) {
    const message = (e as Error).message;
    throw new CliError({ file }, bilingual(`JSON 格式错误（${message}）`, `invalid JSON (${message})`));
  }
}
