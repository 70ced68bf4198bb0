/**
 * PostgreSQL with several hosts (src/server/db/failover.ts): the connection string's hosts, which
 * errors mean "the database is unavailable for a moment" (a 503 problem the client retries, never a 500),
 * the primary locator, and — on a real PostgreSQL server (TEST_DATABASE_URL) — a pool over a dead host
 * and a live one that connects only where writes are accepted and follows the server when that changes.
 * The failover itself (pg_auto_failover, a primary killed under load) is test/reliability/failover.ts.
 */
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import Fastify from "fastify";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import { type DatabaseHandle, openDatabase, resultRows } from "../../src/server/db/client.js";
import {
  isDatabaseUnavailable,
  NoReadWriteHostError,
  PrimaryLocator,
  parseHosts,
} from "../../src/server/db/failover.js";
import { appError } from "../../src/server/errors.js";
import { problemDetails } from "../../src/server/plugins/problem-details.js";
import { usingPostgres } from "../helpers/database.js";

const pgError = (code: string, message = "error") => Object.assign(new Error(message), { code });
/** drizzle 0.45 wraps the driver's error: "Failed query: …" with the original as `cause`. */
const wrapped = (cause: unknown) => Object.assign(new Error("Failed query: select 1\nparams: "), { cause });

describe("the hosts of DATABASE_URL", () => {
  it("leaves a one-host URL as it is", () => {
    const url = "postgres://kaohe:s3cret@db.internal:6432/kaohe?sslmode=disable";
    expect(parseHosts(url)).toEqual({ hosts: [{ host: "db.internal", port: 6432 }], singleHostUrl: url });
    expect(parseHosts("postgres://localhost/kaohe").hosts).toEqual([{ host: "localhost", port: 5432 }]);
  });

  it("reads the list pg_autoctl show uri prints, and keeps everything but the other hosts", () => {
    const parsed = parseHosts(
      "postgres://kaohe:p%40ss@127.0.0.1:25433,127.0.0.1:25434/kaohe?target_session_attrs=read-write&sslmode=disable",
    );
    expect(parsed.hosts).toEqual([
      { host: "127.0.0.1", port: 25433 },
      { host: "127.0.0.1", port: 25434 },
    ]);
    expect(parsed.singleHostUrl).toBe(
      "postgres://kaohe:p%40ss@127.0.0.1:25433/kaohe?target_session_attrs=read-write&sslmode=disable",
    );
  });

  it("takes IPv6 addresses in brackets and the default port", () => {
    expect(parseHosts("postgresql://[::1]:5433,db2,[fd00::2]/k").hosts).toEqual([
      { host: "::1", port: 5433 },
      { host: "db2", port: 5432 },
      { host: "fd00::2", port: 5432 },
    ]);
  });

  it("refuses a host list it cannot read, naming the part", () => {
    expect(() => parseHosts("postgres://a:1,b:99999/k")).toThrow(/"b:99999"/);
    expect(() => parseHosts("postgres://a:1,b:x/k")).toThrow(/"b:x"/);
  });
});

describe("which errors mean the database is unavailable for a moment", () => {
  it("knows a failover's errors, also wrapped by drizzle", () => {
    for (const e of [
      pgError("57P01", "terminating connection due to administrator command"),
      pgError("57P03", "the database system is starting up"),
      pgError("25006", "cannot execute UPDATE in a read-only transaction"),
      pgError("08006"),
      pgError("ECONNREFUSED"),
      pgError("ECONNRESET"),
      new Error("Connection terminated unexpectedly"),
      new Error("Client has encountered a connection error and is not queryable"),
      new NoReadWriteHostError("no read-write database host (a:1 read-only)"),
    ]) {
      expect(isDatabaseUnavailable(e), String(e)).toBe(true);
      expect(isDatabaseUnavailable(wrapped(e)), `wrapped ${e}`).toBe(true);
    }
  });

  it("leaves everything else to be what it is", () => {
    for (const e of [
      pgError("23505", "duplicate key value violates unique constraint"),
      pgError("40P01", "deadlock detected"),
      pgError("42P01", 'relation "x" does not exist'),
      new TypeError("Cannot read properties of undefined"),
      appError(409, "CONFLICT", "冲突", "conflict"),
      "Connection terminated",
      null,
    ])
      expect(isDatabaseUnavailable(e), String(e)).toBe(false);
    expect(isDatabaseUnavailable(wrapped(pgError("23505")))).toBe(false);
  });

  it("answers such an error 503 DATABASE_UNAVAILABLE with Retry-After, in the caller's language; others stay 500", async () => {
    const app = Fastify();
    problemDetails(app);
    app.get("/failover", async () => {
      throw wrapped(pgError("57P01", "terminating connection due to administrator command"));
    });
    app.get("/bug", async () => {
      throw new TypeError("Cannot read properties of undefined");
    });
    const zh = await app.inject({ url: "/failover", headers: { "accept-language": "zh-CN" } });
    expect(zh.statusCode).toBe(503);
    expect(zh.headers["content-type"]).toContain("application/problem+json");
    expect(zh.headers["retry-after"]).toBe("1");
    expect(zh.json()).toMatchObject({ status: 503, code: "DATABASE_UNAVAILABLE" });
    expect(zh.json().title).toMatch(/数据库暂时不可用/);
    expect(zh.body).not.toMatch(/administrator command|Failed query|at /);
    const en = await app.inject({ url: "/failover", headers: { "accept-language": "en" } });
    expect(en.json().title).toMatch(/^the database is unavailable/);
    const bug = await app.inject({ url: "/bug" });
    expect(bug.statusCode).toBe(500);
    expect(bug.json().code).toBe("INTERNAL");
    expect(bug.headers["retry-after"]).toBeUndefined();
    await app.close();
  });
});

describe("the primary locator", () => {
  const a = { host: "a", port: 1 };
  const b = { host: "b", port: 2 };

  it("finds the read-write host, asks it first next time, and asks all again once it is not", async () => {
    let primary = "b";
    const asked: string[] = [];
    const locator = new PrimaryLocator([a, b], async (h) => {
      asked.push(h.host);
      if (h.host === "a" && primary !== "a") throw pgError("ECONNREFUSED");
      return h.host === primary ? "read-write" : "read-only";
    });
    // Callers at once share one round of probes.
    const found = await Promise.all([locator.primary(), locator.primary(), locator.primary()]);
    expect(found).toEqual([b, b, b]);
    expect(asked.sort()).toEqual(["a", "b"]);
    // Next time only the one found is asked.
    expect(await locator.primary()).toEqual(b);
    expect(asked).toEqual(["a", "b", "b"]);
    // A failover: b is read-only now, a takes writes; the next call asks b, then everyone.
    primary = "a";
    expect(await locator.primary()).toEqual(a);
    expect(asked.slice(3).sort()).toEqual(["a", "b", "b"]);
    // Forgetting a host that is not the primary changes nothing; forgetting the primary skips asking it first.
    asked.length = 0;
    locator.forget(b);
    expect(await locator.primary()).toEqual(a);
    expect(asked).toEqual(["a"]);
    asked.length = 0;
    locator.forget(a);
    expect(await locator.primary()).toEqual(a);
    expect(asked.sort()).toEqual(["a", "b"]);
  });

  it("says which hosts answered what when none takes writes", async () => {
    const locator = new PrimaryLocator([a, b], async (h) => {
      if (h.host === "a") throw pgError("ECONNREFUSED", "connect ECONNREFUSED a:1");
      return "read-only";
    });
    const error = await locator.primary().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoReadWriteHostError);
    expect(String(error)).toMatch(/a:1 connect ECONNREFUSED a:1; b:2 read-only/);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

describe.skipIf(!usingPostgres)("a pool over several hosts, on PostgreSQL", () => {
  const adminUrl = process.env.TEST_DATABASE_URL ?? "";
  const name = `kaohe_failover_${process.pid}_${randomBytes(4).toString("hex")}`;
  let admin: pg.Client;
  let database: DatabaseHandle;
  // A port nothing listens on (the first host is down), then the real server.
  let url = "";

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const real = new URL(adminUrl);
    url = `postgres://${real.username ? `${real.username}@` : ""}127.0.0.1:1,${real.hostname}:${real.port || 5432}/${name}`;
    database = await openDatabase({ databaseUrl: url });
    await database.migrate();
  });
  afterAll(async () => {
    await database?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  const readOnly = async (on: boolean) => {
    await admin.query(
      on
        ? `ALTER DATABASE ${name} SET default_transaction_read_only = on`
        : `ALTER DATABASE ${name} RESET default_transaction_read_only`,
    );
    // The sessions open now keep their setting: end them, as a failover does.
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name]);
  };

  it("connects past the dead host to the one that takes writes", async () => {
    const rows = resultRows<{ port: number; ro: string }>(
      await database.db.execute(
        sql`SELECT inet_server_port() AS port, current_setting('transaction_read_only') AS ro`,
      ),
    );
    expect(rows[0]!.ro).toBe("off");
    expect(Number(rows[0]!.port)).toBe(Number(new URL(adminUrl).port || 5432));
  });

  it("refuses a read-only server as a 503, and follows it once it takes writes again", async () => {
    const app = await buildApp({ database });
    try {
      expect((await app.inject({ url: "/api/v1/health" })).statusCode).toBe(200);
      await readOnly(true);
      // The pool's connections were cut (as by a failover); a new one finds no host that takes writes.
      let reply = await app.inject({ url: "/api/v1/health", headers: { "accept-language": "en" } });
      for (let i = 0; i < 5 && reply.statusCode === 200; i++)
        reply = await app.inject({ url: "/api/v1/health", headers: { "accept-language": "en" } });
      expect(reply.statusCode).toBe(503);
      expect(reply.json()).toMatchObject({ code: "DATABASE_UNAVAILABLE", status: 503 });
      expect(reply.headers["retry-after"]).toBe("1");
      // Writes in the meantime fail cleanly too, and write nothing.
      const write = await database.db.execute(sql`CREATE TABLE failover_probe (x int)`).then(
        () => "written",
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(write)).toBe(true);
      await readOnly(false);
      let back = await app.inject({ url: "/api/v1/health" });
      for (let i = 0; i < 5 && back.statusCode !== 200; i++)
        back = await app.inject({ url: "/api/v1/health" });
      expect(back.statusCode).toBe(200);
      const exists = resultRows<{ t: string | null }>(
        await database.db.execute(sql`SELECT to_regclass('failover_probe')::text AS t`),
      );
      expect(exists[0]!.t).toBeNull();
    } finally {
      await readOnly(false);
      await app.close();
    }
  });

  it("drops a connection that finds its server read-only mid-session, and the next one looks again", async () => {
    // One connection in the pool (the others ended), then the database made read-only under it.
    await readOnly(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await database.db.execute(sql`SELECT 1`);
    await admin.query(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
    await admin.query("SELECT pg_reload_conf()");
    // An open session keeps its settings; set it read-only the way a reload of the promoted node does.
    const refused = await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL transaction_read_only = on`);
        await tx.execute(sql`CREATE TABLE failover_probe2 (x int)`);
      })
      .then(
        () => "written",
        (e: unknown) => e,
      );
    expect(isDatabaseUnavailable(refused)).toBe(true);
    // That connection was closed on release; the new one sees the database read-only and is refused.
    const next = await database.db.execute(sql`SELECT 1`).then(
      () => "ok",
      (e: unknown) => e,
    );
    await admin.query(`ALTER DATABASE ${name} RESET default_transaction_read_only`);
    expect(isDatabaseUnavailable(next)).toBe(true);
    const again = await database.db.execute(sql`SELECT current_setting('transaction_read_only') AS ro`);
    expect(resultRows<{ ro: string }>(again)[0]!.ro).toBe("off");
  });

  it("survives its server ending a connection held between two queries of a transaction", async () => {
    // node-postgres emits "error" on a checked-out client whose socket closes while no query runs;
    // without a listener that ends the process (it did: every app node, at the drill's first full run).
    const result = await database.db
      .transaction(async (tx) => {
        const [row] = resultRows<{ pid: number }>(await tx.execute(sql`SELECT pg_backend_pid() AS pid`));
        await admin.query("SELECT pg_terminate_backend($1)", [row!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tx.execute(sql`SELECT 1`);
      })
      .then(
        () => "committed",
        (e: unknown) => e,
      );
    expect(isDatabaseUnavailable(result)).toBe(true);
    const again = await database.db.execute(sql`SELECT 1 AS one`);
    expect(resultRows<{ one: number }>(again)[0]!.one).toBe(1);
  });
});
