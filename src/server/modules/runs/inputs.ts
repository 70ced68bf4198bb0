import { gunzipSync, gzipSync } from "node:zlib";
import { scoringRuns } from "../../db/schema/index.js";
import type { RunInputs } from "./scoring.js";

/**
 * How a run's frozen inputs are stored, and the one place they are read back. Since migration 0031 a new
 * run keeps them gzipped in `scoring_runs.inputs_gz` (the JSON text: a JSONB value holds at most 256 MB,
 * which the inputs of a province's run pass; gzip makes them a fraction of the text), `inputs` left NULL;
 * a run stored before keeps them in `inputs` (JSONB). Exactly one of the two is set (a CHECK constraint).
 * Either way the value read back is the same, so the content hash (audit/content.ts runContent) of a run
 * is the same whichever column holds it.
 */

/** The columns to select for `runInputs`: `db.select({ ...storedInputs, … })`. */
export const storedInputs = { inputs: scoringRuns.inputs, inputsGz: scoringRuns.inputsGz };

/** The stored form of a new run's inputs: the columns to insert. */
export const packInputs = (inputs: RunInputs) => ({
  inputs: null,
  inputsGz: gzipSync(JSON.stringify(inputs)),
});

/** A stored run's frozen inputs, from whichever column holds them. */
export function runInputs(row: { inputs: unknown; inputsGz: Buffer | null }): RunInputs {
  if (row.inputsGz) return JSON.parse(gunzipSync(row.inputsGz).toString("utf8")) as RunInputs;
  if (row.inputs == null) throw new Error("scoring_runs: a run with neither inputs nor inputs_gz");
  return row.inputs as RunInputs;
}
