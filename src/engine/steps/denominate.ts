import { cloneDataset, type Dataset } from "../dataset.js";
import { engineError, fail, ok, type Result } from "../errors.js";

export interface DenominateOptions {
  /** iCode -> denominator code; defaults to each indicator's own `denominator`. */
  by: ReadonlyMap<string, string>;
  /** Denominator value for a unit, NaN when missing; undefined when the unit has no row at all. */
  denominatorOf: (unit: string, denominator: string) => number | undefined;
  /** Per-indicator scale factor: x / (denominator / scale), as COINr's ScaleFactor. Default 1. */
  scaleFactor?: ReadonlyMap<string, number>;
}

/**
 * Divides each named indicator by its denominator (e.g. GDP, population), so that large and small
 * units compare fairly. Indicators without a denominator pass through unchanged.
 */
export function denominate(data: Dataset, options: DenominateOptions): Result<Dataset> {
  const out = cloneDataset(data);
  const n = data.units.length;
  for (const [code, denominator] of options.by) {
    const col = data.columns.indexOf(code);
    if (col < 0) {
      return fail(
        engineError(
          "UNKNOWN_INDICATOR",
          `要除以分母的指标 ${code} 不在数据中`,
          `indicator ${code} to denominate is not in the data`,
          { indicator: code },
        ),
      );
    }
    const scale = options.scaleFactor?.get(code) ?? 1;
    for (let i = 0; i < n; i++) {
      const unit = data.units[i] as string;
      const d = options.denominatorOf(unit, denominator);
      if (d === undefined) {
        return fail(
          engineError(
            "DENOMINATOR_MISSING_UNIT",
            `分母数据中没有单位 ${unit}（指标 ${code} 的分母 ${denominator}）`,
            `unit ${unit} has no row in the denominator data (denominator ${denominator} of ${code})`,
            { indicator: code, unit },
          ),
        );
      }
      const k = col * n + i;
      out.values[k] = (data.values[k] as number) / (d / scale);
      if (Number.isNaN(d)) out.na[k] = 1;
    }
  }
  return ok(out);
}
