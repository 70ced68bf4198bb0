import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SQL, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import { defaultSecurity } from "../../src/server/config.js";
import { type Database, type DatabaseHandle, openDatabase, resultRows } from "../../src/server/db/client.js";
import {
  appendAudit,
  auditCheckpoint,
  type ChainCheck,
  verifyAuditChain,
} from "../../src/server/modules/audit/service.js";
import { type Client, signIn } from "../helpers/accounts.js";
import { testAuditKey, testDatabase, usingPostgres } from "../helpers/database.js";
import { examplePlan, publishExample, registerUnits } from "../helpers/example-plan.js";

/**
 * The audit trail and the published results against whoever holds the database: a superuser who turns
 * the triggers off (session_replication_role = replica), edits rows and recomputes every hash with the
 * database's own sha256 and SM3 functions. Only the key (which the database never holds) and the
 * checkpoints (kept outside it) can tell.
 */
const planDocument = { ...examplePlan(), publication: { noticeDays: 5, show: ["grade", "titles"] } };

let database: DatabaseHandle;
let app: FastifyInstance;
let office: Client;
let auditor: Client;
let planId = "";
let runId = "";
let publicationId = "";

beforeAll(async () => {
  database = await testDatabase();
  app = await buildApp({
    database,
    security: { ...defaultSecurity, idleTimeoutMs: 1e12, sessionLifetimeMs: 1e12 },
  });
  await registerUnits(database.db, planDocument);
  office = await signIn(app, database.db, "office", ["office_staff"]);
  auditor = await signIn(app, database.db, "auditor", ["audit_admin"]);
  planId = (await publishExample(database.db, office, planDocument)).planId;
  runId = (await office.request("POST", `/api/v1/plans/${planId}/runs`)).json().id;
  const published = await office.request("POST", `/api/v1/plans/${planId}/runs/${runId}/publish`);
  expect(published.statusCode, published.body).toBe(201);
  publicationId = published.json().id;
  for (let k = 0; k < 5; k++)
    await appendAudit(database.db, { actor: "tester", action: "test.later", entity: "x", after: { k } });
}, 60_000);
afterAll(async () => {
  await app.close();
  await database.close();
});

class Rollback extends Error {}

/**
 * The attacker's hand: in a transaction with the triggers off, runs the statements, then verifies
 * (with the app's key) what they left, and rolls everything back for the next attack.
 */
async function attack(statements: SQL[], options: Parameters<typeof verifyAuditChain>[1] = {}) {
  let check: ChainCheck | undefined;
  await database.db
    .transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      for (const s of statements) await tx.execute(s);
      await tx.execute(sql`SET LOCAL session_replication_role = origin`);
      check = await verifyAuditChain(tx as unknown as Database, options);
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  // The sequence is not rolled back: numbering continues after the real newest entry.
  await database.db.execute(sql`SELECT setval('audit_log_seq', (SELECT max(seq) FROM audit_log))`);
  return check!;
}

/** Recomputes every hash from entry `from` on, as the chaining trigger would, with the database's own functions. */
const rechain = (from: number) =>
  sql.raw(`DO $$
DECLARE
  r audit_log;
  prev text := (SELECT hash FROM audit_log WHERE seq < ${from} ORDER BY seq DESC LIMIT 1);
  prev_sm3 text := (SELECT hash_sm3 FROM audit_log WHERE seq < ${from} ORDER BY seq DESC LIMIT 1);
BEGIN
  FOR r IN SELECT * FROM audit_log WHERE seq >= ${from} ORDER BY seq LOOP
    r.prev_hash := coalesce(prev, repeat('0', 64));
    r.hash := encode(sha256(convert_to(audit_log_entry_text(r), 'UTF8')), 'hex');
    r.hash_sm3 := audit_sm3(coalesce(prev_sm3, repeat('0', 64)) || '|' || audit_log_entry_text(r));
    UPDATE audit_log SET prev_hash = r.prev_hash, hash = r.hash, hash_sm3 = r.hash_sm3 WHERE seq = r.seq;
    prev := r.hash;
    prev_sm3 := r.hash_sm3;
  END LOOP;
END $$`);

async function lastSeq(): Promise<number> {
  const [row] = resultRows<{ n: string | number }>(
    await database.db.execute(sql`SELECT max(seq) AS n FROM audit_log`),
  );
  return Number(row!.n);
}

async function entrySeq(action: string): Promise<number> {
  const [row] = resultRows<{ seq: string | number }>(
    await database.db.execute(sql`SELECT seq FROM audit_log WHERE action = ${action} ORDER BY seq LIMIT 1`),
  );
  return Number(row!.seq);
}

describe("the keyed audit chain against the database's owner", () => {
  it("an honest trail verifies in full: every entry keyed, the run and the published view hashed", async () => {
    const check = await verifyAuditChain(database.db);
    expect(check).toMatchObject({ ok: true, unsealedBefore: 0, runs: 1, publications: 1, unprotected: 0 });
    if (!check.ok) return;
    expect(check.sealedEntries).toBe(check.entries);
    expect(check.sm3Entries).toBe(check.entries);
  });

  it("an entry edited and every later hash recomputed is reported at that entry", async () => {
    const target = (await lastSeq()) - 3;
    const check = await attack([
      sql`UPDATE audit_log SET actor = 'mallory', after = '{"k": 99}' WHERE seq = ${target}`,
      rechain(target),
    ]);
    // The SHA-256 and SM3 chains were recomputed, so they hold; the keyed one does not.
    expect(check).toMatchObject({ ok: false, brokenAt: target, reason: "forged", algorithm: "HMAC-SHA-256" });
  });

  it("an entry removed from the middle and the chain recomputed is reported where the gap is", async () => {
    const target = (await lastSeq()) - 2;
    // With its MAC gone too, the next entry's MAC no longer links; with the MAC left, the MAC names it.
    expect(
      await attack([
        sql`DELETE FROM audit_log WHERE seq = ${target}`,
        sql`DELETE FROM audit_seals WHERE seq = ${target}`,
        rechain(target + 1),
      ]),
    ).toMatchObject({ ok: false, brokenAt: target + 1, reason: "forged" });
    expect(
      await attack([sql`DELETE FROM audit_log WHERE seq = ${target}`, rechain(target + 1)]),
    ).toMatchObject({
      ok: false,
      brokenAt: target,
      reason: "deleted",
    });
  });

  it("a forged entry inserted is reported: it has no MAC, and a MAC copied from another entry does not fit", async () => {
    const next = (await lastSeq()) + 1;
    const forged = sql`INSERT INTO audit_log (seq, actor, action, entity, after)
      VALUES (0, 'office', 'results.publish', 'publication', '{"note": "forged"}')`;
    // The chaining trigger runs (triggers on for this one), so its SHA-256 and SM3 links are right.
    const plain = await attack([sql`SET LOCAL session_replication_role = origin`, forged]);
    expect(plain).toMatchObject({ ok: false, brokenAt: next, reason: "unsealed" });
    const copied = await attack([
      sql`SET LOCAL session_replication_role = origin`,
      forged,
      sql`SET LOCAL session_replication_role = replica`,
      sql`INSERT INTO audit_seals SELECT ${next}, mac, mac_sm3 FROM audit_seals WHERE seq = ${next - 1}`,
    ]);
    expect(copied).toMatchObject({ ok: false, brokenAt: next, reason: "forged" });
  });

  it("the newest entry deleted is found only against a checkpoint kept outside the database", async () => {
    const head = await auditCheckpoint(database.db);
    const last = await lastSeq();
    expect(head?.seq).toBe(last);
    const deleteNewest = [
      sql`DELETE FROM audit_log WHERE seq = ${last}`,
      sql`DELETE FROM audit_seals WHERE seq = ${last}`,
      sql`SELECT setval('audit_log_seq', ${last - 1})`,
    ];
    // Without a checkpoint a clean cut at the end looks like a shorter trail (see docs/security.md) ...
    expect((await attack(deleteNewest)).ok).toBe(true);
    // ... with one, it is reported, naming the first entry missing.
    expect(await attack(deleteNewest, { checkpoint: head! })).toMatchObject({
      ok: false,
      brokenAt: last,
      reason: "truncated",
    });
    // Cut and written again (the sequence reset, a new entry in the old one's place): not the checkpoint's entry.
    const rewritten = await attack(
      [
        ...deleteNewest,
        sql`SET LOCAL session_replication_role = origin`,
        sql`INSERT INTO audit_log (actor, action, entity) VALUES ('mallory', 'x', 'x')`,
        sql`SET LOCAL session_replication_role = replica`,
        sql`INSERT INTO audit_seals SELECT ${last}, mac, mac_sm3 FROM audit_seals WHERE seq = ${last - 1}`,
      ],
      { checkpoint: head! },
    );
    expect(rewritten).toMatchObject({ ok: false, brokenAt: last });
    // The untouched trail holds the checkpoint.
    expect(await verifyAuditChain(database.db, { checkpoint: head! })).toMatchObject({
      ok: true,
      checkpoint: { seq: last },
    });
  });

  it("every MAC removed is reported, not taken for a trail from before the keyed chain", async () => {
    expect(await attack([sql`DELETE FROM audit_seals`])).toMatchObject({
      ok: false,
      brokenAt: 1,
      reason: "unkeyed",
    });
  });

  it("the audit administrator exports the head as a checkpoint; nobody else may", async () => {
    const r = await auditor.request("GET", "/api/v1/audit/checkpoint");
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual(await auditCheckpoint(database.db));
    expect(r.headers["content-disposition"]).toContain("audit-checkpoint-");
    expect((await office.request("GET", "/api/v1/audit/checkpoint")).statusCode).toBe(403);
    // ... and verifies the trail against one over the API as well.
    const { seq, mac } = r.json();
    const held = await auditor.request(
      "GET",
      `/api/v1/audit/verify?checkpointSeq=${seq}&checkpointMac=${mac}`,
    );
    expect(held.json()).toMatchObject({ ok: true, checkpoint: { seq } });
    const other = await auditor.request(
      "GET",
      `/api/v1/audit/verify?checkpointSeq=${seq}&checkpointMac=${"0".repeat(64)}`,
    );
    expect(other.json()).toMatchObject({ ok: false, brokenAt: seq, reason: "checkpoint" });
    const later = await auditor.request(
      "GET",
      `/api/v1/audit/verify?checkpointSeq=${seq + 100}&checkpointMac=${mac}`,
    );
    expect(later.json()).toMatchObject({ ok: false, reason: "truncated" });
    expect((await auditor.request("GET", `/api/v1/audit/verify?checkpointSeq=${seq}`)).statusCode).toBe(400);
  });

  it("the published notice carries a checkpoint of the chain, and verify checks it is in the chain", async () => {
    const body = (await app.inject({ method: "GET", url: `/api/v1/public/plans/${planId}/results` })).json();
    const publishSeq = await entrySeq("results.publish");
    expect(body.auditCheckpoint.seq).toBe(publishSeq - 1);
    const [seal] = resultRows<{ mac: string }>(
      await database.db.execute(sql`SELECT mac FROM audit_seals WHERE seq = ${publishSeq - 1}`),
    );
    expect(body.auditCheckpoint.mac).toBe(seal!.mac);
  });
});

describe("published results and scoring runs are tied to the chain", () => {
  it("a stored run whose result was changed is reported at the entry that created it", async () => {
    const check = await attack([
      sql`UPDATE scoring_runs SET result = jsonb_set(result, '{units,0,total}', '1') WHERE id = ${runId}`,
    ]);
    expect(check).toMatchObject({
      ok: false,
      brokenAt: await entrySeq("run.create"),
      reason: "content",
      entity: "scoring_run",
      entityId: runId,
    });
  });

  it("a run changed in the database cannot be published", async () => {
    const [saved] = resultRows<{ result: string }>(
      await database.db.execute(sql`SELECT result::text AS result FROM scoring_runs WHERE id = ${runId}`),
    );
    await database.db.execute(
      sql`UPDATE scoring_runs SET result = jsonb_set(result, '{units,0,grade}', '"不合格"') WHERE id = ${runId}`,
    );
    try {
      const r = await office.request("POST", `/api/v1/plans/${planId}/runs/${runId}/publish`);
      expect(r.statusCode).toBe(500);
      expect(r.json().code).toBe("INTEGRITY_VIOLATION");
    } finally {
      await database.db.execute(
        sql`UPDATE scoring_runs SET result = ${saved!.result}::jsonb WHERE id = ${runId}`,
      );
    }
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it("a public view changed in the database is refused by the public endpoint (in any process) and reported", async () => {
    const url = `/api/v1/public/plans/${planId}/results`;
    const original = await app.inject({ method: "GET", url });
    expect(original.statusCode).toBe(200);
    const grade = original.json().units.find((u: { unit: string }) => u.unit === "kjj").grade;
    expect(grade).not.toBe("不合格");
    const [saved] = resultRows<{ view: string }>(
      await database.db.execute(
        sql`SELECT public_view::text AS view FROM publications WHERE id = ${publicationId}`,
      ),
    );
    await database.db.execute(
      sql`UPDATE publications SET public_view = (
        SELECT jsonb_agg(CASE WHEN u->>'unit' = 'kjj' THEN jsonb_set(u, '{grade}', '"不合格"') ELSE u END)
        FROM jsonb_array_elements(public_view) u) WHERE id = ${publicationId}`,
    );
    const second = await buildApp({ database }); // a fresh process: nothing cached
    try {
      const refused = await second.inject({ method: "GET", url });
      expect(refused.statusCode).toBe(500);
      expect(refused.json()).toMatchObject({ code: "INTEGRITY_VIOLATION" });
      expect(refused.body).not.toContain("不合格");
      // The first process still serves the original it checked and cached, never the altered data.
      const first = await app.inject({ method: "GET", url });
      expect(first.json().units.find((u: { unit: string }) => u.unit === "kjj").grade).toBe(grade);
      expect(await verifyAuditChain(database.db)).toMatchObject({
        ok: false,
        brokenAt: await entrySeq("results.publish"),
        reason: "content",
        entity: "publication",
        entityId: publicationId,
      });
    } finally {
      await database.db.execute(
        sql`UPDATE publications SET public_view = ${saved!.view}::jsonb WHERE id = ${publicationId}`,
      );
      await second.close();
    }
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it("changing the view and the hash its audit entry recorded (chain recomputed) is refused too", async () => {
    const url = `/api/v1/public/plans/${planId}/results`;
    const seq = await entrySeq("results.publish");
    let status = 0;
    let code = "";
    // Within the attacker's transaction: the fresh app reads through the same (PGlite) connection or
    // sees nothing uncommitted (PostgreSQL); so commit, look, and put everything back.
    const saved = resultRows<{ view: string }>(
      await database.db.execute(
        sql`SELECT p.public_view::text AS view FROM publications p WHERE p.id = ${publicationId}`,
      ),
    )[0]!;
    const entries = resultRows<{
      seq: number;
      after: string;
      hash: string;
      prev_hash: string;
      hash_sm3: string;
    }>(
      await database.db.execute(
        sql`SELECT seq, after::text AS after, hash, prev_hash, hash_sm3 FROM audit_log WHERE seq >= ${seq} ORDER BY seq`,
      ),
    );
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(
        sql`UPDATE publications SET public_view = (
          SELECT jsonb_agg(CASE WHEN u->>'unit' = 'kjj' THEN jsonb_set(u, '{grade}', '"不合格"') ELSE u END)
          FROM jsonb_array_elements(public_view) u) WHERE id = ${publicationId}`,
      );
      const [view] = resultRows<{ v: unknown }>(
        await tx.execute(sql`SELECT public_view AS v FROM publications WHERE id = ${publicationId}`),
      );
      const { contentHash } = await import("../../src/server/modules/audit/content.js");
      await tx.execute(
        sql`UPDATE audit_log SET after = jsonb_set(after, '{viewHash}', to_jsonb(${contentHash(view!.v)}::text)) WHERE seq = ${seq}`,
      );
      await tx.execute(rechain(seq));
    });
    const second = await buildApp({ database });
    try {
      const r = await second.inject({ method: "GET", url });
      status = r.statusCode;
      code = r.json().code;
      expect(await verifyAuditChain(database.db)).toMatchObject({
        ok: false,
        brokenAt: seq,
        reason: "forged",
      });
    } finally {
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL session_replication_role = replica`);
        await tx.execute(
          sql`UPDATE publications SET public_view = ${saved.view}::jsonb WHERE id = ${publicationId}`,
        );
        for (const e of entries)
          await tx.execute(
            sql`UPDATE audit_log SET after = ${e.after}::jsonb, hash = ${e.hash}, prev_hash = ${e.prev_hash}, hash_sm3 = ${e.hash_sm3} WHERE seq = ${e.seq}`,
          );
      });
      await second.close();
    }
    expect(status).toBe(500);
    expect(code).toBe("INTEGRITY_VIOLATION");
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});

describe("several app processes append at once", () => {
  it("each entry's MAC covers the one before it in chain order (two connection pools, as two processes)", async () => {
    if (!usingPostgres) {
      // One embedded database serves one process; the same appends still chain in order.
      await Promise.all(
        Array.from({ length: 20 }, (_, k) =>
          appendAudit(database.db, { actor: `w${k}`, action: "t", entity: "t" }),
        ),
      );
      expect((await verifyAuditChain(database.db)).ok).toBe(true);
      return;
    }
    const url = process.env.TEST_DATABASE_URL!;
    const [{ name }] = resultRows<{ name: string }>(
      await database.db.execute(sql`SELECT current_database() AS name`),
    ) as [{ name: string }];
    const other = new URL(url);
    other.pathname = `/${name}`;
    const second = await openDatabase({ databaseUrl: other.toString() });
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, k) =>
          appendAudit(k % 2 ? second.db : database.db, {
            actor: `w${k}`,
            action: "t",
            entity: "t",
            after: { k },
          }),
        ),
      );
      expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
    } finally {
      await second.close();
    }
  });
});

describe("kaohe audit checkpoint and kaohe audit verify --checkpoint", () => {
  const dir = mkdtempSync(join(tmpdir(), "kaohe-audit-"));
  const dataDir = join(dir, "data");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bin = join(import.meta.dirname, "..", "..", "bin", "kaohe.js");
  const kaohe = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], {
      encoding: "utf8",
      env: {
        ...process.env,
        KAOHE_DATA_DIR: dataDir,
        DATABASE_URL: "",
        KAOHE_LANG: "en",
        KAOHE_AUDIT_KEY: testAuditKey,
      },
      timeout: 60_000,
    });

  it("a checkpoint file finds the newest entries deleted, which verify alone cannot", async () => {
    let handle = await openDatabase({ dataDir });
    await handle.migrate();
    for (let k = 0; k < 3; k++)
      await appendAudit(handle.db, { actor: "tester", action: "t", entity: "t", after: { k } });
    await handle.close();
    const file = join(dir, "checkpoint.json");
    const written = kaohe("audit", "checkpoint", file);
    expect(written.status, written.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({
      format: "kaohe-audit-checkpoint/1",
      seq: 3,
    });

    handle = await openDatabase({ dataDir });
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql`DELETE FROM audit_log WHERE seq = 3`);
      await tx.execute(sql`DELETE FROM audit_seals WHERE seq = 3`);
    });
    await handle.close();
    expect(kaohe("audit", "verify").status).toBe(0);
    const checked = kaohe("audit", "verify", "--checkpoint", file);
    expect(checked.status).toBe(1);
    expect(checked.stderr).toContain(
      "the audit trail ends before the checkpoint: the entries from 3 on were deleted",
    );
    // The wrong key reads every MAC as forged.
    const wrongKey = spawnSync(process.execPath, [bin, "audit", "verify"], {
      encoding: "utf8",
      env: {
        ...process.env,
        KAOHE_DATA_DIR: dataDir,
        DATABASE_URL: "",
        KAOHE_LANG: "en",
        KAOHE_AUDIT_KEY: "x".repeat(40),
      },
      timeout: 60_000,
    });
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stderr).toContain("audit entry 1 does not match its keyed MAC");
  }, 120_000);
});
