import type { PlanStructure } from "../../../engine/index.js";
import { AppError } from "../../errors.js";
import { checkValue, type ValueInput } from "../values/service.js";
import { headerOf } from "./layout.js";
import type { CellError, UploadedRow } from "./parse.js";
import { unitTemplateRows, VALUE_TEMPLATE, type ValueTemplateKey } from "./templates.js";

/**
 * Checks a unit's uploaded value template row by row against the plan: a number, a valid revision, a
 * cell of the unit's template (an indicator and period it reports), a value the indicator accepts, each
 * cell once. Rows without a value are skipped. Reports every error, each at its cell.
 */
export function checkValueUpload(
  structure: PlanStructure,
  unit: string,
  sheet: string,
  rows: readonly UploadedRow<ValueTemplateKey>[],
): { inputs: (ValueInput & { row: number })[]; errors: CellError[] } {
  const expected = new Set(
    unitTemplateRows(structure, unit, []).map((e) => `${e.indicator}\u0000${e.period}`),
  );
  const errors: CellError[] = [];
  const inputs: (ValueInput & { row: number })[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const indicator = cells.indicator ?? "";
    const period = cells.period ?? "";
    const at = (key: ValueTemplateKey, zh: string, en: string) =>
      errors.push({
        sheet,
        row,
        column: headerOf(VALUE_TEMPLATE, key),
        message: { "zh-CN": zh, en },
        ...(indicator ? { indicator } : {}),
        ...(period ? { period } : {}),
      });
    const text = cells.value ?? "";
    if (text === "") continue; // nothing reported on this row
    const value = Number(text);
    if (!Number.isFinite(value)) {
      at("value", `“${text}”不是数字`, `"${text}" is not a number`);
      continue;
    }
    const revision = cells.revision ? Number(cells.revision) : 0;
    if (!Number.isInteger(revision) || revision < 0) {
      at("revision", "版本号无效，请使用下载的模板", "invalid revision; use the downloaded template");
      continue;
    }
    const key = `${indicator}\u0000${period}`;
    const node = structure.nodes[structure.byCode.get(indicator) ?? -1];
    if (node?.scoredByLead) {
      at(
        "indicator",
        `指标 ${indicator} 由牵头部门 ${node.lead} 为各单位评分，本单位不填报`,
        `indicator ${indicator} is scored for every unit by its lead department ${node.lead}; units do not report it`,
      );
      continue;
    }
    if (!expected.has(key)) {
      at(
        "period",
        `指标 ${indicator} 没有期间 ${period} 的填报项`,
        `indicator ${indicator} has no entry for period ${period}`,
      );
      continue;
    }
    if (seen.has(key)) {
      at("indicator", `与第 ${seen.get(key)} 行重复`, `duplicates row ${seen.get(key)}`);
      continue;
    }
    seen.set(key, row);
    const input: ValueInput = { indicator, period, value, note: cells.note || undefined, revision };
    try {
      checkValue(structure, unit, input);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      at(e.field === "indicator" ? "indicator" : "value", e.messages["zh-CN"], e.messages.en);
      continue;
    }
    inputs.push({ ...input, row });
  }
  return { inputs, errors };
}
