import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestLang } from "../../lang.js";
import { authorize } from "../../policies.js";
import { unitAccess } from "../plans/access.js";
import type { ReportingWindow } from "../plans/reporting-window.js";
import type { PlanService } from "../plans/service.js";
import type { TargetRequest, TargetService } from "../targets/service.js";
import { headerOf, sendTemplate } from "./layout.js";
import {
  acceptSpreadsheets,
  type CellError,
  readRequestUpload,
  refusalAtRows,
  uploadError,
} from "./parse.js";
import { TARGET_TEMPLATE, type TargetTemplateKey, targetTemplateRows } from "./target-templates.js";

const params = z.object({ planId: z.uuid(), unit: z.string().min(1) });
const header = (key: TargetTemplateKey) => headerOf(TARGET_TEMPLATE, key);

/**
 * /api/v1/plans/:planId/units/:unit/targets/template.(xlsx|csv) and /targets/upload: a unit's targets
 * out as a spreadsheet, and target adjustment requests (目标调整) back in, checked cell by cell and
 * recorded all or nothing.
 */
export const targetUploadRoutes =
  (deps: { plans: PlanService; targets: TargetService; window: ReportingWindow }): FastifyPluginAsyncZod =>
  async (app) => {
    acceptSpreadsheets(app);

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
          params,
          response: { 200: z.object({ requested: z.number() }) },
        },
      },
      async (request) => {
        const session = authorize(request, "targets.request");
        const { unit } = request.params;
        const head = await unitAccess(deps.plans, session, request.params.planId, unit);
        await deps.window.assertUnitOpen(head, unit);
        const lang = requestLang(request);
        const upload = await readRequestUpload(request, TARGET_TEMPLATE);
        const { structure } = head;
        const current = new Map(
          targetTemplateRows(structure, unit, await deps.targets.approved(head.id)).map((r) => [
            r.indicator,
            r,
          ]),
        );
        const errors: CellError[] = [];
        const inputs: (TargetRequest & { row: number })[] = [];
        const seen = new Map<string, number>();
        for (const { row, cells } of upload.rows) {
          const at = (key: TargetTemplateKey, zh: string, en: string) =>
            errors.push({ sheet: upload.sheet, row, column: header(key), message: { "zh-CN": zh, en } });
          const indicator = cells.indicator ?? "";
          const text = cells.target ?? "";
          const reason = cells.reason ?? "";
          if (text === "" && reason === "") continue; // no adjustment asked on this row
          const existing = current.get(indicator);
          if (!existing) {
            at(
              "indicator",
              `指标 ${indicator} 没有本单位的目标值`,
              `indicator ${indicator} has no target for this unit`,
            );
            continue;
          }
          if (text === "") {
            at("target", "请填写申请调整为的目标值", "fill in the requested target");
            continue;
          }
          const target = Number(text);
          if (!Number.isFinite(target)) {
            at("target", `“${text}”不是数字`, `"${text}" is not a number`);
            continue;
          }
          if (target === existing.current) {
            at("target", "与现行目标相同，无需调整", "the same as the current target; nothing to adjust");
            continue;
          }
          if (reason.length < 5) {
            at("reason", "请写明调整理由（至少 5 个字）", "give the reason (at least 5 characters)");
            continue;
          }
          if (seen.has(indicator)) {
            at("indicator", `与第 ${seen.get(indicator)} 行重复`, `duplicates row ${seen.get(indicator)}`);
            continue;
          }
          seen.set(indicator, row);
          inputs.push({ indicator, target, reason, row });
        }
        if (errors.length > 0) throw uploadError(errors, lang);
        if (inputs.length === 0)
          throw uploadError(
            [
              {
                sheet: upload.sheet,
                row: 1,
                column: header("target"),
                message: { "zh-CN": "没有填写任何调整申请", en: "no adjustment was filled in" },
              },
            ],
            lang,
          );
        try {
          const saved = await deps.targets.requestAll(
            head.id,
            structure,
            unit,
            inputs,
            session.user,
            request.ip,
          );
          return { requested: saved.length };
        } catch (e) {
          // A refusal of one request (e.g. one already pending) names its row; nothing was recorded.
          throw refusalAtRows(e, upload.sheet, inputs, () => header("indicator"), lang);
        }
      },
    );
  };
