import type { Dataset } from "../dataset.js";
import type { Framework } from "../framework.js";
import { pearson, spearman } from "../stats/correlation.js";

export interface ParentCorrelation {
  parent: string;
  child: string;
  correlation: number;
}

/**
 * Correlation of every node with its parent (pairwise complete), e.g. each indicator with its pillar:
 * the usual check that a composite's components actually pull together.
 */
export function correlationsWithParent(
  data: Dataset,
  framework: Framework,
  method: "pearson" | "spearman" = "pearson",
  level = 1,
): ParentCorrelation[] {
  const n = data.units.length;
  const col = (code: string) => {
    const j = data.columns.indexOf(code);
    return j < 0 ? null : data.values.subarray(j * n, (j + 1) * n);
  };
  const f = method === "pearson" ? pearson : spearman;
  const out: ParentCorrelation[] = [];
  for (const child of framework.codesByLevel[level - 1] ?? []) {
    const parent = framework.byCode.get(child)?.parent;
    if (!parent) continue;
    const x = col(child);
    const y = col(parent);
    if (x && y) out.push({ parent, child, correlation: f(x, y) });
  }
  return out;
}
