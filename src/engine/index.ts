/**
 * kaohe engine: pure composite-indicator computations (no I/O, no Node-only APIs), so the server,
 * the CLI and the browser all run the same code. See README.md beside this file.
 */
export type { Coin, CoinSlice, UnitInfo } from "./coin.js";
export * from "./dataset.js";
export * from "./errors.js";
export * from "./framework.js";
export {
  canonicalJson,
  jsonPieces,
  nobleSha256,
  type Sha256,
  type Sha256Factory,
  sha256,
  TextHash,
} from "./hash.js";
export * from "./pipeline.js";
export * from "./plan/index.js";
export { createRandom, type Random } from "./random.js";
export { correlationsWithParent, type ParentCorrelation } from "./results/correlations.js";
export { defaultStatsThresholds, type IndicatorStats, indicatorStats } from "./results/indicator-stats.js";
export { rankDataset, rankWithinGroups } from "./results/ranks.js";
export * from "./spec.js";
export { pearson, spearman } from "./stats/correlation.js";
export { kurt, max, mean, median, min, sd, skew } from "./stats/moments.js";
export { rank, type TieMethod } from "./stats/rank.js";
export {
  type AggregateOptions,
  type AggregationMethod,
  aggregate,
  aggregateCodes,
  aggregationMethods,
} from "./steps/aggregate.js";
export { denominate } from "./steps/denominate.js";
export { type ImputeMethod, impute } from "./steps/impute.js";
export { imputePanel, type PanelImputeMethod, type PanelSlice } from "./steps/impute-panel.js";
export { type Normaliser, normalise } from "./steps/normalise.js";
export { type ScreenOptions, screenUnits } from "./steps/screen.js";
export {
  defaultTreatSettings,
  type TreatDetail,
  type TreatOptions,
  type TreatResult,
  treat,
} from "./steps/treat.js";
export { ENGINE_VERSION } from "./version.js";
