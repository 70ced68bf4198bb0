import type { Lang, PlanStructure } from "../../../engine/index.js";
import type { Actor } from "../../actor.js";
import { AppError } from "../../errors.js";
import { reportedCells } from "../plans/reporting-window.js";
import { checkValue, type ImportedValue } from "../values/service.js";
import { IMPORT_TEMPLATE, type ImportTemplateKey } from "./import-template.js";
import { headerOf } from "./layout.js";
import type { CellError, UploadedRow } from "./parse.js";

/**
 * What an import job carries: the file (by its id in import_files, never its rows), who asked, and in
 * which language to answer.
 */
export interface ImportJob {
  planId: string;
  fileId: string;
  /** Who asked, and from where (the import's audit entries name them). */
  actor: Actor;
  lang: Lang;
}

/**
 * Checks an imported file row by row against the plan: a unit of the plan, a cell units report (an
 * indicator and period of the value template), a number the indicator accepts, each cell once. Rows
 * without a value are skipped. Reports every error, each at its cell.
 */
export async function checkImport(
  structure: PlanStructure,
  sheet: string,
  rows: UploadedRow<ImportTemplateKey>[],
  onProgress: (done: number) => Promise<void>,
): Promise<{ inputs: (ImportedValue & { row: number })[]; errors: CellError[] }> {
  // The cells units report are the same for every unit of the plan.
  const reported = reportedCells(structure);
  const errors: CellError[] = [];
  const inputs: (ImportedValue & { row: number })[] = [];
  const seen = new Map<string, number>();
  for (const [k, { row, cells }] of rows.entries()) {
    if (k % 1000 === 999) await onProgress(k + 1);
    const at = (key: ImportTemplateKey, zh: string, en: string) =>
      errors.push({ sheet, row, column: headerOf(IMPORT_TEMPLATE, key), message: { "zh-CN": zh, en } });
    const unit = cells.unit ?? "";
    const indicator = cells.indicator ?? "";
    const period = cells.period ?? "";
    const text = cells.value ?? "";
    if (text === "") continue; // nothing to import on this row
    if (!structure.unitIndex.has(unit)) {
      at("unit", `方案中没有单位 ${unit}`, `no unit ${unit} in this plan`);
      continue;
    }
    const value = Number(text);
    if (!Number.isFinite(value)) {
      at("value", `“${text}”不是数字`, `"${text}" is not a number`);
      continue;
    }
    const input = { unit, indicator, period, value, note: cells.note || undefined };
    try {
      checkValue(structure, unit, input);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      at(e.field === "indicator" ? "indicator" : "value", e.messages["zh-CN"], e.messages.en);
      continue;
    }
    if (!reported.has(`${indicator}\u0000${period}`)) {
      at(
        "period",
        `指标 ${indicator} 没有期间 ${period} 的填报项`,
        `indicator ${indicator} has no entry for period ${period}`,
      );
      continue;
    }
    const key = `${unit}\u0000${indicator}\u0000${period}`;
    if (seen.has(key)) {
      at("unit", `与第 ${seen.get(key)} 行重复`, `duplicates row ${seen.get(key)}`);
      continue;
    }
    seen.set(key, row);
    inputs.push({ ...input, row });
  }
  if (inputs.length === 0 && errors.length === 0)
    errors.push({
      sheet,
      row: 1,
      column: headerOf(IMPORT_TEMPLATE, "value"),
      message: { "zh-CN": "文件中没有要导入的数值", en: "the file has no values to import" },
    });
  return { inputs, errors };
}
