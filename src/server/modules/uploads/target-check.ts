import type { TargetRequest } from "../targets/service.js";
import { headerOf } from "./layout.js";
import type { CellError, UploadedRow } from "./parse.js";
import { TARGET_TEMPLATE, type TargetTemplateKey, type TargetTemplateRow } from "./target-templates.js";

/**
 * Checks a unit's uploaded target template row by row against its current targets: an indicator with a
 * target for the unit, a number that differs from the current target, a reason, each indicator once.
 * Rows asking nothing are skipped; a file asking nothing at all is refused. Reports every error, each at
 * its cell.
 */
export function checkTargetUpload(
  current: ReadonlyMap<string, TargetTemplateRow>,
  sheet: string,
  rows: readonly UploadedRow<TargetTemplateKey>[],
): { inputs: (TargetRequest & { row: number })[]; errors: CellError[] } {
  const errors: CellError[] = [];
  const inputs: (TargetRequest & { row: number })[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const at = (key: TargetTemplateKey, zh: string, en: string) =>
      errors.push({ sheet, row, column: headerOf(TARGET_TEMPLATE, key), message: { "zh-CN": zh, en } });
    const indicator = cells.indicator ?? "";
    const text = cells.target ?? "";
    const reason = cells.reason ?? "";
    if (text === "" && reason === "") continue; // no adjustment asked on this row
    const existing = current.get(indicator);
    if (!existing) {
      at(
        "indicator",
        `指标 ${indicator} 没有本单位的目标值`,
        `indicator ${indicator} has no target for this unit`,
      );
      continue;
    }
    if (text === "") {
      at("target", "请填写申请调整为的目标值", "fill in the requested target");
      continue;
    }
    const target = Number(text);
    if (!Number.isFinite(target)) {
      at("target", `“${text}”不是数字`, `"${text}" is not a number`);
      continue;
    }
    if (target === existing.current) {
      at("target", "与现行目标相同，无需调整", "the same as the current target; nothing to adjust");
      continue;
    }
    if (reason.length < 5) {
      at("reason", "请写明调整理由（至少 5 个字）", "give the reason (at least 5 characters)");
      continue;
    }
    if (seen.has(indicator)) {
      at("indicator", `与第 ${seen.get(indicator)} 行重复`, `duplicates row ${seen.get(indicator)}`);
      continue;
    }
    seen.set(indicator, row);
    inputs.push({ indicator, target, reason, row });
  }
  if (errors.length === 0 && inputs.length === 0)
    errors.push({
      sheet,
      row: 1,
      column: headerOf(TARGET_TEMPLATE, "target"),
      message: { "zh-CN": "没有填写任何调整申请", en: "no adjustment was filled in" },
    });
  return { inputs, errors };
}
