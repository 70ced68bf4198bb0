import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../actor.js";
import { requestLang } from "../../lang.js";
import { authorize } from "../../policies.js";
import { jobView, presentJob } from "../jobs/routes.js";
import type { JobService } from "../jobs/service.js";
import type { PlanService } from "../plans/service.js";
import type { ImportJob } from "./import-check.js";
import type { ImportFileStore } from "./import-files.js";
import { IMPORT_TEMPLATE, importTemplateRows } from "./import-template.js";
import { sendTemplate } from "./layout.js";
import { acceptSpreadsheets, readRequestUpload, spreadsheetBody } from "./parse.js";
import type { SheetLimits } from "./spreadsheet.js";

const params = z.object({ planId: z.uuid() });

/**
 * /api/v1/plans/:planId/imports: the office imports many units' values from one file (数据导入). The
 * file is read at once (a broken or oversized file is refused there) and kept in import_files; checking
 * and saving run as a job, all or nothing, whose result names the first refused cells and their count.
 */
export const importRoutes =
  (deps: {
    plans: PlanService;
    jobs: JobService;
    importFiles: ImportFileStore;
    limits: SheetLimits;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    await acceptSpreadsheets(app);

    app.get(
      "/plans/:planId/imports/template.:format",
      {
        schema: {
          tags: ["values"],
          summary: "An import template: every unit's reported cells, one per row (.xlsx or .csv)",
          params: params.extend({ format: z.enum(["xlsx", "csv"]) }),
        },
      },
      async (request, reply) => {
        authorize(request, "values.import");
        const { plan, structure } = await deps.plans.current(request.params.planId);
        return sendTemplate(reply, IMPORT_TEMPLATE, importTemplateRows(structure), {
          format: request.params.format,
          name: `${plan.id}-import`,
          lang: requestLang(request),
          plan,
        });
      },
    );

    app.post(
      "/plans/:planId/imports",
      {
        schema: {
          tags: ["values"],
          summary: "Import values of many units (the body is the .xlsx or .csv file) as a background job",
          description:
            "The body is the .xlsx or .csv file, or a multipart/form-data form whose one file is it (10 MB at most).",
          params,
          body: spreadsheetBody,
          response: { 202: jobView },
        },
      },
      async (request, reply) => {
        const session = authorize(request, "values.import");
        await deps.plans.head(request.params.planId);
        const lang = requestLang(request);
        const upload = await readRequestUpload(request, IMPORT_TEMPLATE, deps.limits);
        const fileId = await deps.importFiles.add(
          request.params.planId,
          { filename: upload.filename || `import.${upload.kind}`, kind: upload.kind, content: upload.body },
          session.user.id,
        );
        const job: ImportJob = {
          planId: request.params.planId,
          fileId,
          actor: actorOf(request),
          lang,
        };
        const queued = await deps.jobs.enqueue("import", { ...job }, session.user.id);
        return reply.status(202).send(presentJob(queued));
      },
    );
  };
