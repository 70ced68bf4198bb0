import { createDataset, type Dataset } from "../dataset.js";
import { rank, type TieMethod } from "../stats/rank.js";

/** Ranks every column of a dataset, highest value = 1; missing stays missing. */
export function rankDataset(data: Dataset, ties: TieMethod = "min"): Dataset {
  const n = data.units.length;
  const out = createDataset(data.units, data.columns);
  for (let j = 0; j < data.columns.length; j++) {
    rank(
      data.values.subarray(j * n, (j + 1) * n),
      { ties, descending: true },
      out.values.subarray(j * n, (j + 1) * n),
    );
  }
  for (let k = 0; k < out.values.length; k++) out.na[k] = Number.isNaN(out.values[k]) ? 1 : 0;
  return out;
}

/**
 * Ranks within groups (e.g. 分类考核: each unit is ranked only among the units of its own category).
 * `groups[i]` is the group of row i; units without a group get no rank.
 */
export function rankWithinGroups(
  data: Dataset,
  groups: readonly (string | null)[],
  ties: TieMethod = "min",
): Dataset {
  const n = data.units.length;
  const out = createDataset(data.units, data.columns);
  out.values.fill(Number.NaN);
  out.na.fill(1);
  const members = new Map<string, number[]>();
  groups.forEach((g, i) => {
    if (g === null) return;
    const list = members.get(g) ?? [];
    list.push(i);
    members.set(g, list);
  });
  for (const rows of members.values()) {
    const x = new Float64Array(rows.length);
    const r = new Float64Array(rows.length);
    for (let j = 0; j < data.columns.length; j++) {
      for (let k = 0; k < rows.length; k++) x[k] = data.values[j * n + (rows[k] as number)] as number;
      rank(x, { ties, descending: true }, r);
      for (let k = 0; k < rows.length; k++) {
        const v = r[k] as number;
        const at = j * n + (rows[k] as number);
        out.values[at] = v;
        out.na[at] = Number.isNaN(v) ? 1 : 0;
      }
    }
  }
  return out;
}
