import type { Dataset } from "./dataset.js";
import type { Framework, WeightSet } from "./framework.js";

/** What is known about one unit at one time point besides its indicator values. */
export interface UnitInfo {
  code: string;
  name: string;
  /** Group memberships, e.g. { EurAsia_group: "Europe" }; null where unknown. */
  groups: Readonly<Record<string, string | null>>;
  /** Denominator values, e.g. { GDP: 390.8 }; NaN where missing. */
  denominators: Readonly<Record<string, number>>;
}

/** The data of one time point (a cross-section); a panel has several. */
export interface CoinSlice {
  /** Null for data without a time dimension. */
  time: number | null;
  /** Unit metadata by unit code. */
  units: ReadonlyMap<string, UnitInfo>;
  /** Raw indicator values: rows = units sorted by code, columns = the framework's indicators. */
  raw: Dataset;
}

/** Everything a pipeline run needs as input (COINr's "coin" before any step). */
export interface Coin {
  framework: Framework;
  /** Names of the group columns (e.g. GDP_group), in input order. */
  groupNames: readonly string[];
  slices: readonly CoinSlice[];
  /** Named weight sets usable by aggregate steps. */
  weightSets: ReadonlyMap<string, WeightSet>;
  /** Extra denominator tables by name: unit code -> denominator code -> value. */
  denominatorTables: ReadonlyMap<string, ReadonlyMap<string, Readonly<Record<string, number>>>>;
}
