import type { z } from "zod";

/* Schema issues as messages in both languages: the CLI, the server and the web designer show the same. */

/** Formats a JSON path as `indicators[0].children[2].rule`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
}

/** Follows a path into parsed JSON. */
export function at(json: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown> | undefined)?.[k], json);
}

/**
 * The deepest indicator on a JSON path into a plan document (…indicators[i].children[j]…): its code and
 * name, and how many of the path's keys lead to it (`path.slice(0, length)`). Null: the path is in no
 * indicator.
 */
export function indicatorOnPath(
  json: unknown,
  path: readonly PropertyKey[],
): { code: string; name: string | undefined; length: number } | null {
  for (let k = path.length; k >= 2; k--) {
    if ((path[k - 2] !== "indicators" && path[k - 2] !== "children") || typeof path[k - 1] !== "number")
      continue;
    const node = at(json, path.slice(0, k)) as { code?: unknown; name?: unknown } | undefined;
    if (node && typeof node.code === "string")
      return { code: node.code, name: typeof node.name === "string" ? node.name : undefined, length: k };
  }
  return null;
}

/** The longest text of a found value a message quotes. */
const SHOWN_MAX = 40;

/**
 * What was found, as a message quotes it: bounded, whatever came in (a 1 MB string, nesting thousands
 * deep, which JSON.stringify would overflow the stack on): a text clipped, an object or list as {…}/[…].
 */
function shown(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? "[]" : "[…]";
  if (value !== null && typeof value === "object") return Object.keys(value).length === 0 ? "{}" : "{…}";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX - 1)}…` : text;
}

/** One zod issue as a message in both languages, naming the JSON path and what was found there. */
export function describeIssue(
  issue: z.core.$ZodIssue,
  json: unknown,
  label: (path: readonly PropertyKey[]) => string = formatPath,
) {
  const where = label(issue.path) || "（顶层）";
  const whereEn = label(issue.path) || "(top level)";
  switch (issue.code) {
    case "invalid_union": {
      const got = shown(at(json, issue.path));
      return { "zh-CN": `${where}：无法识别 ${got}`, en: `${whereEn}: ${got} is not recognised` };
    }
    case "invalid_value": {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(", ");
      const got = shown(at(json, issue.path));
      return {
        "zh-CN": `${where}：${got} 无效，应为 ${allowed} 之一`,
        en: `${whereEn}: ${got} is invalid, expected one of ${allowed}`,
      };
    }
    case "unrecognized_keys":
      return {
        "zh-CN": `${where}：不认识的字段 ${issue.keys.join(", ")}`,
        en: `${whereEn}: unknown field(s) ${issue.keys.join(", ")}`,
      };
    case "invalid_type":
      return at(json, issue.path) === undefined
        ? { "zh-CN": `${where}：缺少必填项`, en: `${whereEn}: required` }
        : {
            "zh-CN": `${where}：类型错误，应为 ${issue.expected}`,
            en: `${whereEn}: expected ${issue.expected}`,
          };
    case "too_small":
    case "too_big": {
      if (issue.origin === "string" || issue.origin === "array") {
        const small = issue.code === "too_small";
        const bound = Number(small ? issue.minimum : issue.maximum);
        const what = issue.origin === "string" ? ["个字符", "character"] : ["项", "item"];
        const plural = bound === 1 ? "" : "s";
        return small && bound === 1
          ? { "zh-CN": `${where}：不能为空`, en: `${whereEn}: cannot be empty` }
          : {
              "zh-CN": `${where}：应${small ? "至少" : "至多"} ${bound} ${what[0]}`,
              en: `${whereEn}: expected ${small ? "at least" : "at most"} ${bound} ${what[1]}${plural}`,
            };
      }
      if (issue.origin !== "number")
        return { "zh-CN": `${where}：${issue.message}`, en: `${whereEn}: ${issue.message}` };
      const got = shown(at(json, issue.path));
      const small = issue.code === "too_small";
      const bound = String(small ? issue.minimum : issue.maximum);
      const strict = issue.inclusive === false;
      return {
        "zh-CN": `${where}：${got} 无效，应${small ? (strict ? "大于" : "不小于") : strict ? "小于" : "不大于"} ${bound}`,
        en: `${whereEn}: ${got} is invalid, expected a number ${small ? (strict ? "above" : "of at least") : strict ? "below" : "of at most"} ${bound}`,
      };
    }
    case "custom": {
      // A refinement gives its Chinese message in params (the schema's own message is English).
      const zh = (issue.params as { "zh-CN"?: unknown } | undefined)?.["zh-CN"];
      return {
        "zh-CN": `${where}：${typeof zh === "string" ? zh : issue.message}`,
        en: `${whereEn}: ${issue.message}`,
      };
    }
    default:
      return { "zh-CN": `${where}：${issue.message}`, en: `${whereEn}: ${issue.message}` };
  }
}
