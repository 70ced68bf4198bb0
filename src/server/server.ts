import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import { readAuditKey, type ServerConfig } from "./config.js";
import { type DatabaseHandle, openDatabase } from "./db/client.js";
import { seedDemo } from "./demo.js";
import { bootstrapAdministrators } from "./modules/accounts/bootstrap.js";
import { beginKeyedChain, setAuditKey } from "./modules/audit/service.js";
import { createNotificationService } from "./modules/notifications/service.js";

export interface RunningServer {
  app: FastifyInstance;
  database: DatabaseHandle;
  url: string;
  /** One-time passwords of the administrators created on this first start (empty otherwise). */
  created: { username: string; password: string }[];
  /** Demo accounts created by --demo on an empty database. */
  demo: { username: string; password: string; role: string }[];
  /** How long seeding the demo took, in ms, when this start seeded it. */
  demoSeedMs?: number;
  close(): Promise<void>;
}

/** Opens the database, applies migrations, creates the first administrators if needed, and listens. */
export async function startServer(config: ServerConfig, logger = true, demo = false): Promise<RunningServer> {
  // The audit key first: a process that cannot seal the audit trail must not start.
  setAuditKey(readAuditKey(config.auditKey));
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    await beginKeyedChain(database.db);
    // The notifications' cursor before the demo's data, so the demo's published plan reaches its units' inboxes.
    await createNotificationService({ db: database.db, now: () => new Date() }).ensureCursor();
    const created = await bootstrapAdministrators(database.db);
    const seeding = performance.now();
    const demoAccounts = demo ? await seedDemo(database.db) : [];
    const demoSeedMs = demoAccounts.length > 0 ? performance.now() - seeding : undefined;
    const app = await buildApp({
      database,
      logger,
      security: config.security,
      trustProxy: config.trustProxy,
      evidence: config.evidence,
      demo,
      uploads: config.uploads,
      smtp: config.smtp,
      jobStaleMs: config.jobStaleMs,
    });
    const url = await app.listen({ port: config.port, host: config.host });
    app.jobRunner.start();
    app.notificationPump.start();
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        await app.close();
        await database.close();
      })();
      return closing;
    };
    return {
      app,
      database,
      url,
      created,
      demo: demoAccounts,
      ...(demoSeedMs !== undefined ? { demoSeedMs } : {}),
      close,
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}
