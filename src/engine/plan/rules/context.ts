import type { NormaliserSpec } from "../../spec.js";
import type { PlanValues } from "../data.js";
import { type Explanation, noData } from "../explain.js";
import type { PlanNode, PlanStructure } from "../structure.js";

/** What a scoring rule sees for one leaf indicator. */
export interface RuleContext {
  structure: PlanStructure;
  values: PlanValues;
  leaf: PlanNode;
  /** Target per unit (NaN where none). */
  target: Float64Array;
  period: string;
  previous: string | undefined;
  /** Sensitivity analysis may swap the normaliser of a relative rule. */
  normaliser?: NormaliserSpec | undefined;
}

/** A rule's result for one leaf: points per unit and a way to explain each. */
export interface LeafScore {
  points: Float64Array;
  /** 1 where the unit had no data. */
  missing: Uint8Array;
  explain(unit: number): Explanation;
  /**
   * The same leaf scored at other full points, where the rule's points are its full points times a
   * share that does not depend on them (what a what-if's weight change needs, without scoring again).
   */
  rescale?(points: number): LeafScore;
  /**
   * Where every unit's points are exactly `max * share[u]` (one multiplication, as `points` holds them):
   * a parent can add the leaf up from its shares without the column being written.
   */
  scaled?: { max: number; share: Float64Array };
}

/** Fills `missing` from NaN actual values and returns it. */
export function missingOf(actual: Float64Array): Uint8Array {
  const m = new Uint8Array(actual.length);
  for (let i = 0; i < actual.length; i++) if (Number.isNaN(actual[i])) m[i] = 1;
  return m;
}

/**
 * The result of a rule that scores each unit from its own actual value: a unit without one has no
 * points and is explained as missing, so the rule only says how a present value is explained.
 */
export function fromActuals(
  actual: Float64Array,
  max: number,
  points: Float64Array,
  explain: (actual: number, unit: number) => Explanation,
): LeafScore {
  return {
    points,
    missing: missingOf(actual),
    explain(u) {
      const a = actual[u] as number;
      return Number.isNaN(a) ? noData(max) : explain(a, u);
    },
  };
}
