import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { ENGINE_VERSION } from "../engine/index.js";
import type { CommandDeps } from "./actor.js";
import {
  defaultEvidence,
  defaultSecurity,
  type EvidenceSettings,
  type SecuritySettings,
  type SmtpSettings,
  type UploadSettings,
} from "./config.js";
import type { DatabaseHandle } from "./db/client.js";
import { agendaRoutes } from "./modules/agenda/routes.js";
import { createAgendaService } from "./modules/agenda/service.js";
import { assessmentRoutes } from "./modules/assessments/routes.js";
import { createAssessmentService } from "./modules/assessments/service.js";
import { auditRoutes } from "./modules/audit/routes.js";
import { authRoutes } from "./modules/auth/routes.js";
import { createAuthService } from "./modules/auth/service.js";
import { createBulletinPortal } from "./modules/bulletins/portal.js";
import { bulletinRoutes } from "./modules/bulletins/routes.js";
import { createBulletinService } from "./modules/bulletins/service.js";
import { claimEvidenceRoutes } from "./modules/claims/evidence-routes.js";
import { createClaimEvidenceService } from "./modules/claims/evidence-service.js";
import { demoRoutes } from "./modules/demo/routes.js";
import { evidenceRoutes } from "./modules/evidence/routes.js";
import { createEvidenceService } from "./modules/evidence/service.js";
import { healthRoutes } from "./modules/health/routes.js";
import { jobHandlers } from "./modules/jobs/handlers.js";
import { jobRoutes } from "./modules/jobs/routes.js";
import { createJobRunner, createJobService } from "./modules/jobs/service.js";
import { smtpMailer } from "./modules/notifications/mailer.js";
import { notificationRoutes } from "./modules/notifications/routes.js";
import {
  createNotificationPump,
  createNotificationService,
  type NotificationService,
} from "./modules/notifications/service.js";
import { organisationRoutes } from "./modules/organisations/routes.js";
import { createReportingWindow } from "./modules/plans/reporting-window.js";
import { revisionRoutes } from "./modules/plans/revision-routes.js";
import { createRevisionService } from "./modules/plans/revisions.js";
import { planRoutes } from "./modules/plans/routes.js";
import { createPlanService } from "./modules/plans/service.js";
import { portalApiRoutes } from "./modules/portal/api-routes.js";
import { createNoticePdfService } from "./modules/portal/pdf.js";
import { portalRoutes } from "./modules/portal/routes.js";
import { createPortalService } from "./modules/portal/service.js";
import { publicationRoutes } from "./modules/publication/routes.js";
import { createPublicationService } from "./modules/publication/service.js";
import { createHistoryService } from "./modules/runs/history.js";
import { runRoutes } from "./modules/runs/routes.js";
import { createRunService } from "./modules/runs/service.js";
import { scenarioRoutes } from "./modules/scenarios/routes.js";
import { createScenarioService } from "./modules/scenarios/service.js";
import { spotCheckRoutes } from "./modules/spotchecks/routes.js";
import { createSpotCheckService } from "./modules/spotchecks/service.js";
import { targetRoutes } from "./modules/targets/routes.js";
import { createTargetService } from "./modules/targets/service.js";
import { createImportFileStore } from "./modules/uploads/import-files.js";
import { importRoutes } from "./modules/uploads/import-routes.js";
import { uploadRoutes } from "./modules/uploads/routes.js";
import { defaultSheetLimits } from "./modules/uploads/spreadsheet.js";
import { targetUploadRoutes } from "./modules/uploads/target-routes.js";
import { userRoutes } from "./modules/users/routes.js";
import { valueRoutes } from "./modules/values/routes.js";
import { createValueService } from "./modules/values/service.js";
import { workflowRoutes } from "./modules/workflow/routes.js";
import { createWorkflowService } from "./modules/workflow/service.js";
import { apiDescription, securitySchemes, withSecurity } from "./openapi.js";
import { clientErrorHandler, frameworkErrors, problemDetails } from "./plugins/problem-details.js";
import { requestText } from "./plugins/request-text.js";
import { securityHeaders } from "./plugins/security-headers.js";
import { sessionPlugin } from "./plugins/session.js";
import { webApp } from "./plugins/web-app.js";

declare module "fastify" {
  interface FastifyInstance {
    jobRunner: ReturnType<typeof createJobRunner>;
    /** What each kind of job does: the runner's, for another runner of this process (tests). */
    jobHandlers: ReturnType<typeof jobHandlers>;
    /** Notifications: `notifications.tick()` runs one round (tests), `notificationPump` polls (the server). */
    notifications: NotificationService;
    notificationPump: ReturnType<typeof createNotificationPump>;
  }
}

export interface AppDeps {
  database: DatabaseHandle;
  logger?: boolean;
  security?: SecuritySettings;
  evidence?: EvidenceSettings;
  /** A running job without a heartbeat this long is taken over by another process (default 60 s). */
  jobStaleMs?: number;
  /** Spreadsheet uploads (default: 100,000 data rows a file). */
  uploads?: UploadSettings;
  trustProxy?: boolean;
  /** Serving the demo (kaohe serve --demo): the sign-in page then lists the demo accounts. */
  demo?: boolean;
  /** The clock (tests move it to expire sessions and locks). */
  now?: () => Date;
  /** E-mail for notifications (KAOHE_SMTP_URL, KAOHE_SMTP_FROM); none: in-app only. */
  smtp?: SmtpSettings | null;
  /** How often the notification pump runs (default 10 s). */
  notificationPollMs?: number;
}

/** The application as a plugin tree, without listening (tests use app.inject; server.ts listens). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    trustProxy: deps.trustProxy ?? false,
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  problemDetails(app);
  requestText(app);
  securityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
  });
  const auth = createAuthService({
    db: deps.database.db,
    security: deps.security ?? defaultSecurity,
    ...(deps.now ? { now: deps.now } : {}),
  });
  await sessionPlugin(app, auth);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "kaohe 考核 API",
        version: ENGINE_VERSION,
        description: apiDescription,
      },
      components: { securitySchemes },
    },
    transform: withSecurity(jsonSchemaTransform),
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: true });
  await app.register(healthRoutes({ db: deps.database.db, databaseKind: deps.database.kind }), {
    prefix: "/api/v1",
  });
  await app.register(authRoutes(auth), { prefix: "/api/v1" });
  await app.register(demoRoutes(deps.demo ?? false), { prefix: "/api/v1" });
  await app.register(organisationRoutes(deps.database.db), { prefix: "/api/v1" });
  await app.register(userRoutes(deps.database.db, deps.now), { prefix: "/api/v1" });
  await app.register(auditRoutes(deps.database.db), { prefix: "/api/v1" });
  // What every command runs with; the request adds who acts (actor.ts).
  const env: CommandDeps = { db: deps.database.db, now: deps.now ?? (() => new Date()) };
  const plans = createPlanService({ db: deps.database.db });
  const values = createValueService({ db: deps.database.db });
  const window = createReportingWindow({ db: deps.database.db, now: deps.now ?? (() => new Date()) });
  await app.register(planRoutes(plans, window, env), { prefix: "/api/v1" });
  await app.register(revisionRoutes(createRevisionService({ db: deps.database.db, plans })), {
    prefix: "/api/v1",
  });
  const workflow = createWorkflowService({ db: deps.database.db, now: deps.now ?? (() => new Date()) });
  const targets = createTargetService({ db: deps.database.db, now: deps.now ?? (() => new Date()) });
  const assessments = createAssessmentService({ db: deps.database.db });
  const runs = createRunService({ db: deps.database.db, targets, assessments });
  await app.register(valueRoutes({ plans, values, window }), { prefix: "/api/v1" });

  await app.register(
    runRoutes({ plans, runs, history: createHistoryService({ db: deps.database.db, now: env.now }) }),
    {
      prefix: "/api/v1",
    },
  );
  const scenarios = createScenarioService({
    db: deps.database.db,
    now: deps.now ?? (() => new Date()),
    runs,
  });
  await app.register(scenarioRoutes({ plans, scenarios }), { prefix: "/api/v1" });
  await app.register(targetRoutes({ plans, targets, window }), { prefix: "/api/v1" });
  const evidenceSettings = deps.evidence ?? defaultEvidence;
  const claimEvidence = createClaimEvidenceService({
    db: deps.database.db,
    now: deps.now ?? (() => new Date()),
    settings: evidenceSettings,
  });
  await app.register(assessmentRoutes({ plans, assessments, window, env, claimEvidence }), {
    prefix: "/api/v1",
  });
  await app.register(
    claimEvidenceRoutes({ plans, evidence: claimEvidence, window, maxBytes: evidenceSettings.maxBytes }),
    { prefix: "/api/v1" },
  );
  const jobs = createJobService({
    db: deps.database.db,
    now: deps.now ?? (() => new Date()),
    ...(deps.jobStaleMs ? { staleMs: deps.jobStaleMs } : {}),
  });
  await app.register(jobRoutes({ plans, runs, jobs }), { prefix: "/api/v1" });
  const limits = { ...defaultSheetLimits, ...deps.uploads };
  const importFiles = createImportFileStore(deps.database.db);
  await app.register(importRoutes({ plans, jobs, importFiles, limits }), { prefix: "/api/v1" });
  // Each app process runs queued jobs; tests tick it by hand, the server starts it.
  const handlers = jobHandlers({ plans, runs, values, window, importFiles, limits });
  const runner = createJobRunner({ jobs, handlers });
  app.decorate("jobRunner", runner);
  app.decorate("jobHandlers", handlers);
  app.addHook("onClose", () => runner.stop());
  const spotChecks = createSpotCheckService({ db: deps.database.db, now: deps.now ?? (() => new Date()) });
  await app.register(spotCheckRoutes({ plans, spotChecks }), { prefix: "/api/v1" });
  await app.register(uploadRoutes({ plans, values, window, limits }), { prefix: "/api/v1" });
  await app.register(targetUploadRoutes({ plans, targets, window, limits }), { prefix: "/api/v1" });
  const evidence = createEvidenceService({ db: deps.database.db, settings: evidenceSettings });
  await app.register(
    evidenceRoutes({
      plans,
      evidence,
      window,
      maxBytes: evidenceSettings.maxBytes,
      types: evidenceSettings.types,
    }),
    { prefix: "/api/v1" },
  );
  await app.register(workflowRoutes({ plans, workflow, window }), { prefix: "/api/v1" });
  const publication = createPublicationService({ db: deps.database.db, now: env.now });
  await app.register(publicationRoutes({ plans, runs, publication, env, evidence: evidenceSettings }), {
    prefix: "/api/v1",
  });
  const agenda = createAgendaService({
    plans,
    window,
    values,
    workflow,
    targets,
    assessments,
    publication,
    now: env.now,
  });
  await app.register(agendaRoutes(agenda), { prefix: "/api/v1" });
  // Notifications follow the audit trail (see modules/notifications/service.ts): no service above calls them.
  const mailer = deps.smtp ? smtpMailer(deps.smtp) : null;
  const notifications = createNotificationService({
    db: deps.database.db,
    now: deps.now ?? (() => new Date()),
    mailer,
  });
  await notifications.ensureCursor();
  await app.register(notificationRoutes(notifications), { prefix: "/api/v1" });
  const pump = createNotificationPump({
    service: notifications,
    ...(deps.notificationPollMs ? { pollMs: deps.notificationPollMs } : {}),
  });
  app.decorate("notifications", notifications);
  app.decorate("notificationPump", pump);
  app.addHook("onClose", async () => {
    await pump.stop();
    mailer?.close();
  });
  await app.register(
    bulletinRoutes({ plans, bulletins: createBulletinService({ db: deps.database.db }), env }),
    {
      prefix: "/api/v1",
    },
  );
  const portal = createPortalService({ db: deps.database.db, now: env.now });
  const bulletinPortal = createBulletinPortal({ db: deps.database.db, now: env.now });
  const pdfs = createNoticePdfService({ db: deps.database.db, portal });
  await app.register(portalApiRoutes({ portal, bulletins: bulletinPortal, pdfs, publication }), {
    prefix: "/api/v1",
  });
  await app.register(portalRoutes({ portal, bulletins: bulletinPortal, pdfs }));
  await webApp(app);
  return app;
}
