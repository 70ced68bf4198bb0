import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import {
  type DataRow,
  evaluateSamples,
  type Plan,
  type SensitivityModel,
  type SensitivityOptions,
  type SensitivityResult,
  type SensitivitySpec,
  sensitivitySamples,
  summariseSensitivity,
} from "../engine/index.js";
import type { WorkerJob } from "./sensitivity-worker.js";

/** The compiled worker script (tests run the TypeScript sources, so point them at the build). */
const workerUrl = new URL(
  import.meta.url.endsWith(".ts") ? "../../dist/src/cli/sensitivity-worker.js" : "./sensitivity-worker.js",
  import.meta.url,
);

/**
 * Runs a sensitivity analysis with its evaluations split over worker threads (one per core by
 * default); the result is identical to the single-threaded one for the same seed.
 */
export async function runSensitivityParallel(
  model: SensitivityModel,
  plan: Plan,
  rows: DataRow[],
  spec: SensitivitySpec,
  options: SensitivityOptions,
  workers = availableParallelism(),
  onProgress: (done: number, total: number) => void = () => {},
): Promise<SensitivityResult> {
  const samples = sensitivitySamples(model, options);
  const total = samples.count;
  const n = model.structure.units.length;
  const ranks = new Uint16Array(total * n);
  const grades = new Uint8Array(total * n);
  let done = 0;
  const count = Math.max(1, Math.min(workers, total));
  if (count === 1) {
    const r = evaluateSamples(model, samples.rows, 0, total, () => onProgress(++done, total));
    return summariseSensitivity(model, options, samples.design, total, r.ranks, r.grades);
  }
  const bounds = Array.from({ length: count + 1 }, (_, k) => Math.round((k * total) / count));
  await Promise.all(
    Array.from({ length: count }, (_, k) => {
      const job: WorkerJob = { plan, rows, spec, options, from: bounds[k]!, to: bounds[k + 1]! };
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(workerUrl, { workerData: job });
        worker.on("message", (m: { progress?: number; ranks?: Uint16Array; grades?: Uint8Array }) => {
          if (m.progress !== undefined) {
            done += m.progress;
            onProgress(done, total);
          }
          if (m.ranks && m.grades) {
            ranks.set(m.ranks, job.from * n);
            grades.set(m.grades, job.from * n);
            resolve();
          }
        });
        worker.on("error", reject);
        worker.on("exit", (code) => {
          if (code !== 0) reject(new Error(`sensitivity worker exited with code ${code}`));
        });
      });
    }),
  );
  return summariseSensitivity(model, options, samples.design, total, ranks, grades);
}
