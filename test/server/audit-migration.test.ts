import { gunzipSync, gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import { defaultSecurity } from "../../src/server/config.js";
import { backupFormat1, restore } from "../../src/server/db/backup.js";
import { type DatabaseHandle, resultRows } from "../../src/server/db/client.js";
import { appendAudit, beginKeyedChain, verifyAuditChain } from "../../src/server/modules/audit/service.js";
import { type Client, signIn } from "../helpers/accounts.js";
import { testDatabase } from "../helpers/database.js";
import { examplePlan, publishExample, registerUnits } from "../helpers/example-plan.js";

/**
 * A database written before migration 0021: audit entries with no MAC, runs and publications whose
 * audit entries recorded no content hash. The first start after the migration begins the keyed chain
 * and hashes what exists, so those records are protected from then on.
 */
const planDocument = { ...examplePlan(), publication: { noticeDays: 5, show: ["grade", "titles"] } };

let database: DatabaseHandle;
let app: FastifyInstance;
let office: Client;
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
  planId = (await publishExample(database.db, office, planDocument)).planId;
  runId = (await office.request("POST", `/api/v1/plans/${planId}/runs`)).json().id;
  publicationId = (await office.request("POST", `/api/v1/plans/${planId}/runs/${runId}/publish`)).json().id;
  // Back to the trail as the code before migration 0021 wrote it: no hashes in the entries, no MACs,
  // the SHA-256 and SM3 chains as the trigger computed them.
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    await tx.execute(sql`UPDATE audit_log SET after = after - 'contentHash' - 'viewHash' - 'checkpoint'`);
    await tx.execute(
      sql.raw(`DO $$
DECLARE r audit_log; prev text; prev_sm3 text;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY seq LOOP
    r.prev_hash := coalesce(prev, repeat('0', 64));
    r.hash := encode(sha256(convert_to(audit_log_entry_text(r), 'UTF8')), 'hex');
    r.hash_sm3 := audit_sm3(coalesce(prev_sm3, repeat('0', 64)) || '|' || audit_log_entry_text(r));
    UPDATE audit_log SET prev_hash = r.prev_hash, hash = r.hash, hash_sm3 = r.hash_sm3 WHERE seq = r.seq;
    prev := r.hash; prev_sm3 := r.hash_sm3;
  END LOOP;
END $$`),
    );
    await tx.execute(sql`DELETE FROM audit_seals`);
  });
}, 60_000);
afterAll(async () => {
  await app.close();
  await database.close();
});

describe("a trail from before the keyed chain", () => {
  it("is reported as unkeyed until the service starts, then verifies with the old records hashed", async () => {
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, brokenAt: 1, reason: "unkeyed" });
    expect(await beginKeyedChain(database.db)).toBe(true);
    expect(await beginKeyedChain(database.db)).toBe(false); // once
    const check = await verifyAuditChain(database.db);
    expect(check).toMatchObject({ ok: true, sealedEntries: 1, runs: 1, publications: 1, unprotected: 0 });
    if (check.ok) expect(check.unsealedBefore).toBe(check.entries - 1);
    const fresh = await buildApp({ database });
    try {
      const r = await fresh.inject({ method: "GET", url: `/api/v1/public/plans/${planId}/results` });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().auditCheckpoint).toBeNull(); // published before notices carried one
    } finally {
      await fresh.close();
    }
  });

  it("an old entry rewritten afterwards (the chain recomputed) is found by the first MAC", async () => {
    await appendAudit(database.db, { actor: "tester", action: "t", entity: "t" });
    let check: Awaited<ReturnType<typeof verifyAuditChain>> | undefined;
    await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL session_replication_role = replica`);
        await tx.execute(sql`UPDATE audit_log SET actor = 'mallory' WHERE seq = 2`);
        await tx.execute(
          sql.raw(`DO $$
DECLARE r audit_log; prev text := (SELECT hash FROM audit_log WHERE seq = 1); prev_sm3 text := (SELECT hash_sm3 FROM audit_log WHERE seq = 1);
BEGIN
  FOR r IN SELECT * FROM audit_log WHERE seq >= 2 ORDER BY seq LOOP
    r.prev_hash := prev;
    r.hash := encode(sha256(convert_to(audit_log_entry_text(r), 'UTF8')), 'hex');
    r.hash_sm3 := audit_sm3(prev_sm3 || '|' || audit_log_entry_text(r));
    UPDATE audit_log SET prev_hash = r.prev_hash, hash = r.hash, hash_sm3 = r.hash_sm3 WHERE seq = r.seq;
    prev := r.hash; prev_sm3 := r.hash_sm3;
  END LOOP;
END $$`),
        );
        check = await verifyAuditChain(tx as never);
        throw new Error("rollback");
      })
      .catch(() => {});
    const [begin] = resultRows<{ seq: string }>(
      await database.db.execute(sql`SELECT seq FROM audit_log WHERE action = 'audit.keyed-chain.begin'`),
    );
    // The entries before the keyed chain have no MAC of their own: the first MAC (which covers the
    // SHA-256 link to them) is the one that breaks.
    expect(check).toMatchObject({ ok: false, brokenAt: Number(begin!.seq), reason: "forged" });
  });

  it("an old published view changed in the database is refused and reported", async () => {
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
    const fresh = await buildApp({ database });
    try {
      const r = await fresh.inject({ method: "GET", url: `/api/v1/public/plans/${planId}/results` });
      expect(r.statusCode).toBe(500);
      expect(r.json().code).toBe("INTEGRITY_VIOLATION");
    } finally {
      await fresh.close();
    }
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: false,
      reason: "content",
      entity: "publication",
      entityId: publicationId,
    });
    await database.db.execute(
      sql`UPDATE publications SET public_view = ${saved!.view}::jsonb WHERE id = ${publicationId}`,
    );
  });

  it("a backup from before the keyed chain restores, and the chain begins over it", async () => {
    const file = JSON.parse(gunzipSync(await backupFormat1(database.db)).toString("utf8"));
    delete file.tables.audit_seals;
    const target = await testDatabase(); // empty and migrated (the shared PGlite wiped, or a new database)
    await restore(target.db, gzipSync(JSON.stringify(file)));
    expect(await verifyAuditChain(target.db)).toMatchObject({ ok: false, reason: "unkeyed" });
    expect(await beginKeyedChain(target.db)).toBe(true);
    expect(await verifyAuditChain(target.db)).toMatchObject({ ok: true, runs: 1, publications: 1 });
    await target.close();
  });
});
