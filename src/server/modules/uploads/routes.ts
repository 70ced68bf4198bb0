import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../errors.js";
import { requestLang } from "../../lang.js";
import { authorize } from "../../policies.js";
import { unitAccess } from "../plans/access.js";
import type { ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import { checkValue, type ValueInput, type ValueService } from "../values/service.js";
import { headerOf, sendTemplate } from "./layout.js";
import {
  acceptSpreadsheets,
  type CellError,
  readRequestUpload,
  refusalAtRows,
  uploadError,
} from "./parse.js";
import { templateRows, VALUE_TEMPLATE, type ValueTemplateKey } from "./templates.js";

const params = z.object({ planId: z.uuid(), unit: z.string().min(1) });
const header = (key: ValueTemplateKey) => headerOf(VALUE_TEMPLATE, key);

/** /api/v1/plans/:planId/units/:unit/template.(xlsx|csv) and /upload: Excel in and out. */
export const uploadRoutes =
  (deps: { plans: PlanService; values: ValueService; window: ReportingWindow }): FastifyPluginAsyncZod =>
  async (app) => {
    acceptSpreadsheets(app);

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
        const rows = templateRows(
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
          params,
          response: { 200: z.object({ saved: z.number() }) },
        },
      },
      async (request) => {
        const session = authorize(request, "values.write");
        const current = await unitAccess(deps.plans, session, request.params.planId, request.params.unit);
        const { structure } = current;
        await deps.window.assertUnitOpen(current, request.params.unit);
        const lang = requestLang(request);
        const upload = await readRequestUpload(request, VALUE_TEMPLATE);
        const expected = templateRows(structure, request.params.unit, []);
        const errors: CellError[] = [];
        const inputs: (ValueInput & { row: number })[] = [];
        const seen = new Map<string, number>();
        for (const { row, cells } of upload.rows) {
          const at = (key: ValueTemplateKey, zh: string, en: string) =>
            errors.push({ sheet: upload.sheet, row, column: header(key), message: { "zh-CN": zh, en } });
          const indicator = cells.indicator ?? "";
          const period = cells.period ?? "";
          const text = cells.value ?? "";
          if (text === "") continue; // nothing reported on this row
          const value = Number(text);
          if (!Number.isFinite(value)) {
            at("value", `“${text}”不是数字`, `"${text}" is not a number`);
            continue;
          }
          const revision = cells.revision ? Number(cells.revision) : 0;
          if (!Number.isInteger(revision) || revision < 0) {
            at("revision", "版本号无效，请使用下载的模板", "invalid revision; use the downloaded template");
            continue;
          }
          if (!expected.some((e) => e.indicator === indicator && e.period === period)) {
            at(
              "period",
              `指标 ${indicator} 没有期间 ${period} 的填报项`,
              `indicator ${indicator} has no entry for period ${period}`,
            );
            continue;
          }
          const key = `${indicator}\u0000${period}`;
          if (seen.has(key)) {
            at("indicator", `与第 ${seen.get(key)} 行重复`, `duplicates row ${seen.get(key)}`);
            continue;
          }
          seen.set(key, row);
          const input: ValueInput = { indicator, period, value, note: cells.note || undefined, revision };
          try {
            checkValue(structure, request.params.unit, input);
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
            at(e.field === "indicator" ? "indicator" : "value", e.messages["zh-CN"], e.messages.en);
            continue;
          }
          inputs.push({ ...input, row });
        }
        if (errors.length > 0) throw uploadError(errors, lang);
        try {
          const saved = await deps.values.saveAll(
            current.id,
            request.params.unit,
            inputs,
            session.user,
            request.ip,
          );
          return { saved: saved.length };
        } catch (e) {
          // A conflict or a locked value names its row; nothing was saved.
          throw refusalAtRows(
            e,
            upload.sheet,
            inputs,
            (code) => header(code === "CONFLICT" ? "revision" : "value"),
            lang,
          );
        }
      },
    );
  };
