import { cloneDataset, type Dataset } from "../dataset.js";
import { engineError, fail, ok, type Result } from "../errors.js";
import { mean, median } from "../stats/moments.js";

export type ImputeMethod = "mean" | "median" | "mean_group" | "median_group";

export interface ImputeOptions {
  method: ImputeMethod;
  /** Group label per row (same order as data.units), required for the *_group methods. Null = no group. */
  groups?: readonly (string | null)[];
}

export interface ImputeResult {
  data: Dataset;
  /** How many cells were filled. */
  imputed: number;
  /** Cells still missing (e.g. a whole group missing an indicator). */
  remaining: number;
}

/**
 * Fills missing values column by column with the indicator's mean or median, optionally within the
 * unit's group (COINr's i_mean, i_median, i_mean_grp, i_median_grp). Units whose group is unknown are
 * left as they are, as COINr's skip_f_na does.
 */
export function impute(data: Dataset, options: ImputeOptions): Result<ImputeResult> {
  const grouped = options.method === "mean_group" || options.method === "median_group";
  const centre = options.method.startsWith("median") ? median : mean;
  const groups = options.groups;
  if (grouped && (!groups || groups.length !== data.units.length)) {
    return fail(
      engineError(
        "IMPUTE_NEEDS_GROUP",
        `分组插补（${options.method}）需要每个单位的分组`,
        `group imputation (${options.method}) needs a group for every unit`,
      ),
    );
  }
  const out = cloneDataset(data);
  const n = data.units.length;
  // Row indices per group, computed once for all columns.
  const members = new Map<string | null, number[]>();
  if (grouped && groups) {
    groups.forEach((g, i) => {
      const list = members.get(g) ?? [];
      list.push(i);
      members.set(g, list);
    });
  } else {
    members.set(
      null,
      Array.from({ length: n }, (_, i) => i),
    );
  }
  let imputed = 0;
  let remaining = 0;
  const scratch = new Float64Array(n);
  for (let j = 0; j < data.columns.length; j++) {
    const base = j * n;
    for (const [group, rows] of members) {
      if (grouped && group === null) {
        for (const i of rows) if (out.na[base + i]) remaining++;
        continue;
      }
      let missing = 0;
      for (let k = 0; k < rows.length; k++) {
        const v = data.values[base + (rows[k] as number)] as number;
        scratch[k] = v;
        if (Number.isNaN(v)) missing++;
      }
      if (missing === 0) continue;
      const fill = centre(scratch.subarray(0, rows.length));
      for (const i of rows) {
        const v = data.values[base + i] as number;
        if (Number.isNaN(v)) {
          if (!Number.isNaN(fill)) {
            out.values[base + i] = fill;
            out.na[base + i] = 0;
            imputed++;
          } else remaining++;
        }
      }
    }
  }
  return ok({ data: out, imputed, remaining });
}
