import {
  buildSensitivityModel,
  evaluateSamples,
  type SensitivitySpec,
  sensitivitySamples,
  summariseSensitivity,
} from "../../../engine/index.js";
import { type Actor, actingFrom } from "../../actor.js";

import type { ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import type { RunInputs, RunService } from "../runs/service.js";
import { checkImport, type ImportJob } from "../uploads/import-check.js";
import type { ImportFileStore } from "../uploads/import-files.js";
import { IMPORT_TEMPLATE } from "../uploads/import-template.js";
import { headerOf } from "../uploads/layout.js";
import { readUpload, refusalAtRows, sheetRefusal, uploadError } from "../uploads/parse.js";
import type { SheetLimits } from "../uploads/spreadsheet.js";
import type { ValueService } from "../values/service.js";
import type { Job, JobHandler, JobKind } from "./service.js";

/** What each kind of job does. */
export function jobHandlers(deps: {
  plans: PlanService;
  runs: RunService;
  values: ValueService;
  window: ReportingWindow;
  importFiles: ImportFileStore;
  limits: SheetLimits;
}): Record<JobKind, JobHandler> {
  return {
    /** The office's import of many units' values: checked row by row, then saved all or nothing. */
    async import(job: Job, progress, finishWithin) {
      const { planId, fileId, actor, lang } = job.params as ImportJob;
      try {
        const current = await deps.plans.current(planId);
        // The office imports whatever the deadline, while the plan is in force.
        deps.window.assertInForce(current);
        // The file was checked when it was sent; it is read again here, within the same limits.
        const file = await deps.importFiles.get(fileId);
        const upload = await readUpload(file.content, file.kind, IMPORT_TEMPLATE, deps.limits);
        if ("status" in upload) throw sheetRefusal(upload, file.filename, lang);
        if ("message" in upload) throw uploadError([upload], lang);
        const { sheet, rows } = upload;
        const { inputs, errors } = await checkImport(current.structure, sheet, rows, (done) =>
          progress((0.5 * done) / rows.length),
        );
        if (errors.length > 0) throw uploadError(errors, lang);
        await progress(0.5);
        try {
          // The values, the file's removal and the job's end commit together: a retry never re-imports.
          const saved = await deps.values.importAll({
            planVersionId: current.id,
            inputs,
            actor,
            within: async (tx, saved) => {
              await deps.importFiles.remove(fileId, tx);
              await finishWithin(tx, { imported: inputs.length, ...saved });
            },
          });
          return { imported: inputs.length, ...saved };
        } catch (e) {
          // Cells already submitted or approved name their rows; nothing was imported.
          throw refusalAtRows(e, sheet, inputs, () => headerOf(IMPORT_TEMPLATE, "value"), lang);
        }
      } finally {
        await deps.importFiles.remove(fileId);
      }
    },

    /** A scoring run on the approved data. */
    async score(job: Job, progress, finishWithin) {
      const { planId, actor } = job.params as { planId: string; actor: Actor };
      // Audited as run by the job, wherever it was asked for.
      const current = await deps.plans.current(planId);
      await progress(0.1);
      // The run and the job's end commit together: a process killed after it never scores twice.
      const run = await deps.runs.create({
        planVersionId: current.id,
        plan: current.plan,
        actor: actingFrom(actor, "job"),
        within: (tx, run) => finishWithin(tx, { runId: run.id, inputHash: run.inputHash }),
      });
      return { runId: run.id, inputHash: run.inputHash };
    },

    /** A sensitivity analysis of a run's frozen inputs, in chunks so progress reaches the database. */
    async sensitivity(job: Job, progress) {
      const { runId, spec, runs, seed } = job.params as {
        runId: string;
        spec: SensitivitySpec;
        runs: number;
        seed: number;
      };
      const inputs = (await deps.runs.get(runId)).inputs as RunInputs;
      const model = buildSensitivityModel(inputs.plan, inputs.rows, spec);
      if (!model.ok) throw new Error(model.error.message.en);
      const options = { runs, seed };
      const samples = sensitivitySamples(model.value, options);
      const n = model.value.structure.units.length;
      const ranks = new Uint16Array(samples.count * n);
      const grades = new Uint8Array(samples.count * n);
      // In slices of about 20 ms, each followed by a turn of the event loop: the evaluations are
      // synchronous, and an embedded database's writes resolve without one, so a job written as a few
      // long chunks kept this process from answering any request (or heartbeat) until it was done.
      let step = 16;
      let reported = 0;
      for (let from = 0; from < samples.count; ) {
        const to = Math.min(samples.count, from + step);
        const started = performance.now();
        const part = evaluateSamples(model.value, samples.rows, from, to);
        ranks.set(part.ranks, from * n);
        grades.set(part.grades, from * n);
        if (performance.now() - started < 10) step *= 2;
        from = to;
        if (from - reported >= samples.count / 20 || from === samples.count) {
          reported = from;
          await progress(from / samples.count);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      return summariseSensitivity(model.value, options, samples.design, samples.count, ranks, grades);
    },
  };
}
