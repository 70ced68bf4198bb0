import {
  canonicalJson,
  type DataRow,
  type Plan,
  type ScoreOptions,
  type ScoringRun,
  scoreOfficial,
  scorePlan,
  type UnitResult,
  unitResult,
} from "../../../engine/index.js";
import { AppError, notFound } from "../../errors.js";
import { nodeSha256 } from "./node-sha256.js";

/** What a run scored, frozen beside its result so it re-runs (and explains) exactly. */
export interface RunInputs {
  plan: Plan;
  rows: DataRow[];
}

/** Scores frozen inputs; `explain` as scorePlan's (a stored run writes no traces: []). */
export function scoreInputs(inputs: RunInputs, explain: ScoreOptions["explain"] = []): ScoringRun {
  const run = scorePlan(inputs.plan, inputs.rows, { explain, sha256: nodeSha256 });
  if (!run.ok) throw new AppError(422, run.error.code, run.error.message);
  return run.value;
}

/**
 * Whether a stored result carries its traces: runs stored before explanations came on demand
 * (issue 14) carry every unit's; runs since carry none (each unit's trace is an empty list). A
 * stored row is never rewritten, so both kinds are read, re-run and verified as they are.
 */
export const carriesTraces = (result: ScoringRun): boolean => result.units.some((u) => u.trace.length > 0);

/** How a stored result was scored, for a re-run that must come out byte for byte the same. */
export const explainedAs = (result: ScoringRun): ScoreOptions["explain"] =>
  carriesTraces(result) ? "all" : [];

/**
 * One unit's result with its trace. A run stored with traces gives its own; a run stored without is
 * scored again with the unit named, which gives the very trace a full run gives (scorePlan is a pure
 * function of the frozen inputs). The numbers scored again must be the stored ones: an engine that
 * scores the inputs differently (another version) cannot explain this run, and says so.
 */
export function explainUnit(inputs: RunInputs, stored: ScoringRun, unit: string): UnitResult {
  const own = stored.units.find((u) => u.unit === unit);
  if (!own) throw notFound(`计分结果中没有单位 ${unit}`, `no unit ${unit} in this scoring run`);
  if (own.trace.length > 0) return own;
  // Only this unit's result is read from the scored columns: no result object for every other unit.
  const scored = scoreOfficial(inputs.plan, inputs.rows, { sha256: nodeSha256 });
  if (!scored.ok) throw new AppError(422, scored.error.code, scored.error.message);
  const u = inputs.plan.units.findIndex((x) => x.code === unit);
  const again = u === -1 ? undefined : unitResult(scored.value, u, true);
  if (!again || canonicalJson({ ...again, trace: [] }) !== canonicalJson(own))
    throw new AppError(409, "RUN_NOT_REPRODUCIBLE", {
      "zh-CN": `本次计分由计分引擎 ${stored.engineVersion} 完成，当前引擎重算单位 ${unit} 的结果与之不同，无法给出其计分过程`,
      en: `this run was scored by engine ${stored.engineVersion}; the current engine scores unit ${unit} differently, so it cannot explain it`,
    });
  return again;
}

/**
 * Rows in one canonical order (by their canonical JSON, compared with localeCompare), so the
 * frozen inputs do not depend on the order the database gave them. Each row's key is written once:
 * computing it inside the comparator wrote it about 2·log₂(n) times per row.
 */
export function canonicalRows<R>(rows: readonly R[]): R[] {
  return rows
    .map((row) => ({ key: canonicalJson(row), row }))
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((k) => k.row);
}
