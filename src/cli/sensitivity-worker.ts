/**
 * Worker thread: rebuilds the sensitivity model from the plan and data (cheap next to the
 * replications) and evaluates one range of sample rows, reporting progress as it goes.
 */
import { parentPort, workerData } from "node:worker_threads";
import {
  buildSensitivityModel,
  type DataRow,
  evaluateSamples,
  type Plan,
  type SensitivityOptions,
  type SensitivitySpec,
  sensitivitySamples,
} from "../engine/index.js";

export interface WorkerJob {
  plan: Plan;
  rows: DataRow[];
  spec: SensitivitySpec;
  options: SensitivityOptions;
  from: number;
  to: number;
}

const job = workerData as WorkerJob;
const model = buildSensitivityModel(job.plan, job.rows, job.spec);
if (!model.ok) throw new Error(model.error.message.en);
const { rows } = sensitivitySamples(model.value, job.options);
let done = 0;
const result = evaluateSamples(model.value, rows, job.from, job.to, () => {
  if (++done % 10 === 0) parentPort?.postMessage({ progress: 10 });
});
parentPort?.postMessage({ progress: done % 10 });
parentPort?.postMessage({ ranks: result.ranks, grades: result.grades }, [
  result.ranks.buffer as ArrayBuffer,
  result.grades.buffer as ArrayBuffer,
]);
