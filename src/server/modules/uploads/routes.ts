import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../actor.js";
import { requestLang } from "../../lang.js";
import { authorize } from "../../policies.js";
import { unitAccess } from "../plans/access.js";
import type { ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import type { ValueService } from "../values/service.js";
import { headerOf, sendTemplate } from "./layout.js";
import {
  acceptSpreadsheets,
  readRequestUpload,
  refusalAtRows,
  spreadsheetBody,
  uploadError,
} from "./parse.js";
import type { SheetLimits } from "./spreadsheet.js";
import { unitTemplateRows, VALUE_TEMPLATE, type ValueTemplateKey } from "./templates.js";
import { checkValueUpload } from "./value-check.js";

const params = z.object({ planId: z.uuid(), unit: z.string().min(1) });
const header = (key: ValueTemplateKey) => headerOf(VALUE_TEMPLATE, key);

/** /api/v1/plans/:planId/units/:unit/template.(xlsx|csv) and /upload: Excel in and out. */
export const uploadRoutes =
  (deps: {
    plans: PlanService;
    values: ValueService;
    window: ReportingWindow;
    limits: SheetLimits;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    await acceptSpreadsheets(app);

    app.get(
      "/plans/:planId/units/:unit/template.:format",
      {
        schema: {
          tags: ["values"],
          summary: "A value template for the unit (.xlsx or .csv)",
          params: params.extend({ format: z.enum(["xlsx", "csv"]) }),
        },
      },
      async (request, reply) => {
        const session = authorize(request, "values.read");
        const current = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        const { plan, structure } = current;
        const rows = unitTemplateRows(
          structure,
          request.params.unit,
          await deps.values.list(current.id, request.params.unit),
        );
        return sendTemplate(reply, VALUE_TEMPLATE, rows, {
          format: request.params.format,
          name: `${plan.id}-${request.params.unit}`,
          lang: requestLang(request),
          plan,
          unit: request.params.unit,
        });
      },
    );

    app.post(
      "/plans/:planId/units/:unit/upload",
      {
        schema: {
          tags: ["values"],
          summary: "Upload a filled-in template: checked cell by cell, saved all or nothing",
          description:
            "The body is the .xlsx or .csv file, or a multipart/form-data form whose one file is it (10 MB at most).",
          params,
          body: spreadsheetBody,
          response: { 200: z.object({ saved: z.number() }) },
        },
      },
      async (request) => {
        const session = authorize(request, "values.write");
        const current = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        const { structure } = current;
        await deps.window.assertUnitOpen(current, request.params.unit);
        const lang = requestLang(request);
        const upload = await readRequestUpload(request, VALUE_TEMPLATE, deps.limits);
        const { inputs, errors } = checkValueUpload(
          structure,
          request.params.unit,
          upload.sheet,
          upload.rows,
        );
        // A row its lead department scores is refused at its cell (checkValueUpload), with the others.
        if (errors.length > 0) throw uploadError(errors, lang);
        try {
          const saved = await deps.values.saveAll({
            planVersionId: current.id,
            unit: request.params.unit,
            inputs,
            actor: actorOf(request),
          });
          return { saved: saved.length };
        } catch (e) {
          // A conflict or a locked value names its row; nothing was saved.
          throw refusalAtRows(
            e,
            upload.sheet,
            inputs,
            (code) => header(code === "CONFLICT" ? "revision" : "value"),
            lang,
            { cells: true },
          );
        }
      },
    );
  };
