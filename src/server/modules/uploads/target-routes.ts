import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../actor.js";
import { AppError } from "../../errors.js";
import { requestLang } from "../../lang.js";
import { authorize } from "../../policies.js";
import { unitAccess } from "../plans/access.js";
import type { ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import { targetUploadReply } from "../targets/schema.js";
import type { TargetService } from "../targets/service.js";
import { headerOf, sendTemplate } from "./layout.js";
import {
  acceptSpreadsheets,
  readRequestUpload,
  refusalAtRows,
  spreadsheetBody,
  uploadError,
} from "./parse.js";
import type { SheetLimits } from "./spreadsheet.js";
import { checkTargetUpload } from "./target-check.js";
import { TARGET_TEMPLATE, type TargetTemplateKey, targetTemplateRows } from "./target-templates.js";

/**
 * The refusal of an upload with each cell error naming the row's indicator too (`indicator`), so that
 * the web app can show it in the targets matrix as well as at the sheet's row and column.
 */
function withIndicators(e: unknown, indicatorAt: ReadonlyMap<number, string>): unknown {
  const errors = e instanceof AppError ? e.extra?.errors : undefined;
  if (!(e instanceof AppError) || !Array.isArray(errors)) return e;
  return new AppError(e.status, e.code, e.messages, e.field, {
    ...e.extra,
    errors: (errors as { row: number }[]).map((x) => ({ ...x, indicator: indicatorAt.get(x.row) ?? null })),
  });
}

const params = z.object({ planId: z.uuid(), unit: z.string().min(1) });
const header = (key: TargetTemplateKey) => headerOf(TARGET_TEMPLATE, key);

/**
 * /api/v1/plans/:planId/units/:unit/targets/template.(xlsx|csv) and /targets/upload: a unit's targets
 * out as a spreadsheet, and target adjustment requests (目标调整) back in, checked cell by cell and
 * recorded all or nothing.
 */
export const targetUploadRoutes =
  (deps: {
    plans: PlanService;
    targets: TargetService;
    window: ReportingWindow;
    limits: SheetLimits;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    await acceptSpreadsheets(app);

    app.get(
      "/plans/:planId/units/:unit/targets/template.:format",
      {
        schema: {
          tags: ["targets"],
          summary: "The unit's targets as a template (.xlsx or .csv) to ask for adjustments",
          params: params.extend({ format: z.enum(["xlsx", "csv"]) }),
        },
      },
      async (request, reply) => {
        const session = authorize(request, "targets.read");
        const head = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        const { plan, structure } = head;
        const rows = targetTemplateRows(structure, request.params.unit, await deps.targets.approved(head.id));
        return sendTemplate(reply, TARGET_TEMPLATE, rows, {
          format: request.params.format,
          name: `${plan.id}-${request.params.unit}-targets`,
          lang: requestLang(request),
          plan,
          unit: request.params.unit,
        });
      },
    );

    app.post(
      "/plans/:planId/units/:unit/targets/upload",
      {
        schema: {
          tags: ["targets"],
          summary:
            "Upload a filled-in target template: each filled row asks for an adjustment, all or nothing",
          description:
            "The body is the .xlsx or .csv file, or a multipart/form-data form whose one file is it (10 MB at most).",
          params,
          body: spreadsheetBody,
          response: { 200: targetUploadReply },
        },
      },
      async (request) => {
        const session = authorize(request, "targets.request");
        const { unit } = request.params;
        const head = await unitAccess(deps.plans, session, request.params.planId, unit);
        await deps.window.assertUnitOpen(head, unit);
        const lang = requestLang(request);
        const upload = await readRequestUpload(request, TARGET_TEMPLATE, deps.limits);
        const { structure } = head;
        const current = new Map(
          targetTemplateRows(structure, unit, await deps.targets.approved(head.id)).map((r) => [
            r.indicator,
            r,
          ]),
        );
        const { inputs, errors } = checkTargetUpload(current, upload.sheet, upload.rows);
        const indicatorAt = new Map(upload.rows.map((r) => [r.row, r.cells.indicator ?? ""]));
        if (errors.length > 0) throw withIndicators(uploadError(errors, lang), indicatorAt);
        try {
          const saved = await deps.targets.requestAll({
            planVersionId: head.id,
            structure,
            unit,
            inputs,
            actor: actorOf(request),
          });
          return { requested: saved.length };
        } catch (e) {
          // A refusal of one request (e.g. one already pending) names its row; nothing was recorded.
          throw withIndicators(
            refusalAtRows(e, upload.sheet, inputs, () => header("indicator"), lang),
            indicatorAt,
          );
        }
      },
    );
  };
