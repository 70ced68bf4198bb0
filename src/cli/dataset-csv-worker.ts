/**
 * Worker thread: writes dataset CSV files (writeDatasetCsv into writeStreamed) while the main thread
 * computes and writes the others; one message per file, answered once the file is closed.
 */
import { parentPort } from "node:worker_threads";
import { type TimedDataset, writeDatasetCsv } from "./dataset-csv.js";
import { writeStreamed } from "./write-files.js";

export interface DatasetCsvJob {
  path: string;
  parts: TimedDataset[];
}

parentPort?.on("message", (job: DatasetCsvJob) => {
  try {
    writeStreamed(job.path, (sink) => writeDatasetCsv(job.parts, sink));
    parentPort?.postMessage({ path: job.path });
  } catch (e) {
    parentPort?.postMessage({ path: job.path, error: (e as Error).message });
  }
});
