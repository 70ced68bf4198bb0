import type { FastifyInstance } from "fastify";
import { type AppDeps, buildApp } from "../../src/server/app.js";
import type { Database, DatabaseHandle } from "../../src/server/db/client.js";
import type { Role } from "../../src/server/db/schema/index.js";
import { type Client, signIn } from "./accounts.js";
import { testDatabase } from "./database.js";
import { examplePlan, publishExample, registerUnits } from "./example-plan.js";

type UnitsOf = { units: { code: string; name: string }[] };

export interface TestAppOptions extends Omit<AppDeps, "database"> {
  /** Registers these units as organisations first: a plan document, or `true` for the example plan's. */
  units?: UnitsOf | boolean;
}

/** What a server test file starts from: a fresh database, the app on it, and ways to sign in and publish. */
export interface TestApp {
  database: DatabaseHandle;
  db: Database;
  app: FastifyInstance;
  /** The organisation id of a registered unit (see `units`). */
  orgId(code: string): string;
  /** Creates an account with these roles, in the registered unit `unit` (a code) if given, and signs it in. */
  signIn(username: string, roles: Role[], unit?: string): Promise<Client>;
  /** Creates and publishes a plan (by default the example) as `office`; see publishExample. */
  publish(office: Client, plan?: UnitsOf, approve?: boolean): Promise<{ planId: string; versionId: string }>;
  /** Another app on the same database (another node of the service); closed by close(). */
  another(deps?: Omit<AppDeps, "database">): Promise<FastifyInstance>;
  /** Closes the apps, then the database. */
  close(): Promise<void>;
}

/** A test file's setup: `t = await testApp({ now, security, units: plan })` in beforeAll, `t.close()` in afterAll. */
export async function testApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { units, ...deps } = options;
  const database = await testDatabase();
  const apps: FastifyInstance[] = [];
  const start = async (d: Omit<AppDeps, "database">) => {
    const app = await buildApp({ ...d, database });
    apps.push(app);
    return app;
  };
  const app = await start(deps);
  const orgId = units
    ? await registerUnits(database.db, units === true ? examplePlan() : units)
    : (code: string): string => {
        throw new Error(`no units registered (testApp({ units })), asked for ${code}`);
      };
  return {
    database,
    db: database.db,
    app,
    orgId,
    signIn: (username, roles, unit) =>
      signIn(app, database.db, username, roles, unit === undefined ? null : orgId(unit)),
    publish: (office, plan, approve) => publishExample(database.db, office, plan, approve),
    another: start,
    close: async () => {
      for (const a of apps) await a.close();
      await database.close();
    },
  };
}
