/** Assessment plans (考核方案): scoring rules, ranking within categories, grades under quotas, traces. */
export { type Adjustments, scoreAdjustments } from "./adjustments.js";
export { type CarriedRun, type CarryResult, carryBreaches } from "./carry.js";
export type { NoCommendation } from "./commendation.js";
export {
  type ClaimableItems,
  claimableItems,
  claimProblem,
  type DataRow,
  indexPlanData,
  type PlanValues,
} from "./data.js";
export { checkIndicatorDepth, MAX_INDICATOR_DEPTH } from "./depth.js";
export { diffPlans, type NodeField, nodeFields, type PlanDiff } from "./diff.js";
export type { Explanation } from "./explain.js";
export {
  type GradeOverride,
  type GradingResult,
  gradeUnits,
  type QuotaLimit,
  quotaLimit,
} from "./grading.js";
export { at, describeIssue, formatPath, indicatorOnPath } from "./issues.js";
export { planOrganisations, unknownLead } from "./leads.js";
export type { UnitOffice } from "./offices.js";
export { reportedPeriods } from "./periods.js";
export { completionPoints, completionRatio } from "./rules/completion.js";
export { trimmedMean } from "./rules/expert.js";
export { pointsForRank } from "./rules/rank.js";
export * from "./scenario.js";
export * from "./schema.js";
export * from "./score.js";
export { createScorer, type Scorer } from "./scorer.js";
export * from "./sensitivity.js";
export { buildPlanStructure, type PlanNode, type PlanStructure } from "./structure.js";
export type { LeadBreach } from "./ties.js";
export { unitTrace } from "./trace.js";
export { appliesTo, type ValueRule, valueProblem } from "./value-rules.js";
