/**
 * One simulated unit in the deadline rush: signs in, reads its page, saves values (each against the
 * revision it last saw), uploads the evidence file the plan asks for, submits before the deadline —
 * and, now and then, makes a mistake the service must refuse by design: a value that is not a number
 * (400 VALIDATION), a save against an old revision (409 CONFLICT), a save after submitting (409 LOCKED)
 * or after the deadline (409 DEADLINE_PASSED). Everything the service acknowledged goes in the ledger.
 */
import type { Reply, RushClient, Session } from "./rush-client.js";
import { sleep } from "./rush-client.js";
import { leafCode, RUSH_PASSWORD, RUSH_PERIOD } from "./rush-seed.js";

/** A write the database must hold exactly once. `inferred`: acknowledged as 409 CONFLICT showing this very write. */
export interface AppliedSave {
  unit: string;
  indicator: string;
  value: number;
  revision: number;
  inferred: boolean;
}

export interface Refusal {
  kind: string;
  status: number;
  code: string | undefined;
  /** The refusal the request was made to provoke, or null for one nobody asked for. */
  expected: string | null;
  /** When the answer came (ms since the epoch): if after the deadline, DEADLINE_PASSED is by design. */
  answeredAt: number;
}

export interface Ledger {
  saves: AppliedSave[];
  evidence: { unit: string; indicator: string; id: string }[];
  submitted: { unit: string; count: number }[];
  refusals: Refusal[];
}

export const newLedger = (): Ledger => ({ saves: [], evidence: [], submitted: [], refusals: [] });

/** mulberry32: a small seeded generator, so a run's schedule is the same every time. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ReporterPlan {
  client: RushClient;
  ledger: Ledger;
  planId: string;
  unit: string;
  username: string;
  leaves: number;
  /** Rush start and deadline, ms since the epoch. */
  start: number;
  deadline: number;
  thinkMs: number;
  seed: number;
  /** Whether this unit tries one more save after the deadline. */
  late: boolean;
}

export async function reporter(p: ReporterPlan): Promise<void> {
  const rnd = random(p.seed);
  const span = p.deadline - p.start;
  const base = `/api/v1/plans/${p.planId}/units/${p.unit}`;
  const refused = (kind: string, reply: Reply, expected: string | null) =>
    p.ledger.refusals.push({
      kind,
      status: reply.status,
      code: reply.code,
      expected,
      answeredAt: Date.now(),
    });
  await sleep(p.start + rnd() * 0.1 * span - Date.now());
  const session = await p.client.login(p.username, RUSH_PASSWORD);
  if ("status" in session) return void refused("login", session, null);
  const page = await p.client.send("read", "GET", `${base}/values`, { session });
  const revisions = new Map<string, number>();
  if (page.status === 200)
    for (const v of (page.body as { items: { indicator: string; revision: number }[] }).items)
      revisions.set(v.indicator, v.revision);
  else refused("read", page, null);

  const save = (indicator: string, s: Session) =>
    saveValue(p, s, indicator, revisions, Math.round(rnd() * 1000) / 10);
  const submitAt = p.start + (0.75 + 0.15 * rnd()) * span;
  let uploaded = false;
  for (let n = 0; Date.now() < submitAt; n++) {
    const indicator = leafCode(n < p.leaves ? n : Math.floor(rnd() * p.leaves));
    // Mistakes after the first pass, so that every indicator has a value when the unit submits (on time).
    const mistake = n < p.leaves ? 1 : rnd();
    if (mistake < 0.02) {
      const reply = await p.client.send("save", "PUT", `${base}/values`, {
        session,
        json: { indicator, period: RUSH_PERIOD, value: "十二", revision: revisions.get(indicator) ?? 0 },
      });
      refused("save", reply, "VALIDATION");
    } else if (mistake < 0.04 && (revisions.get(indicator) ?? 0) > 0) {
      const stale = (revisions.get(indicator) ?? 0) - 1;
      const reply = await p.client.send("save", "PUT", `${base}/values`, {
        session,
        json: { indicator, period: RUSH_PERIOD, value: -1, revision: stale },
      });
      refused("save", reply, "CONFLICT");
    } else await save(indicator, session);
    if (!uploaded && n >= 1) uploaded = await upload(p, session, base);
    // Short rushes think faster, so that every indicator is filled in before the deadline.
    await sleep(Math.min(p.thinkMs, (0.6 * span) / (p.leaves + 2)) * (0.5 + rnd()));
  }
  if (!uploaded) await upload(p, session, base);
  const submit = await p.client.send("submit", "POST", `${base}/submit`, { session });
  if (submit.status === 200)
    p.ledger.submitted.push({ unit: p.unit, count: (submit.body as { submitted: number }).submitted });
  else if (submit.code === "NOTHING_TO_SUBMIT" && submit.attempts > 1) {
    // A retry finding nothing left to submit: the try that got no reply was applied (checked in the database).
    p.ledger.submitted.push({ unit: p.unit, count: 0 });
    refused("submit (applied by an earlier try)", submit, "NOTHING_TO_SUBMIT");
  } else refused("submit", submit, null);
  await saveValue(p, session, leafCode(0), revisions, 1, "LOCKED");
  if (p.late) {
    await sleep(p.deadline + 1000 + rnd() * 2000 - Date.now());
    await saveValue(p, session, leafCode(1), revisions, 2, "DEADLINE_PASSED");
  }
}

/**
 * Saves one value against the revision last seen. A 409 CONFLICT whose current value is this very
 * save at the next revision means an earlier try of this request was applied (the node died after
 * committing, or the proxy sent the PUT again): that is the write, acknowledged late.
 */
async function saveValue(
  p: ReporterPlan,
  session: Session,
  indicator: string,
  revisions: Map<string, number>,
  value: number,
  expected: string | null = null,
) {
  const revision = revisions.get(indicator) ?? 0;
  const reply = await p.client.send("save", "PUT", `/api/v1/plans/${p.planId}/units/${p.unit}/values`, {
    session,
    json: { indicator, period: RUSH_PERIOD, value, revision },
  });
  if (reply.status === 200) {
    const saved = reply.body as { revision: number };
    revisions.set(indicator, saved.revision);
    p.ledger.saves.push({ unit: p.unit, indicator, value, revision: saved.revision, inferred: false });
    return;
  }
  const current = (reply.body as { current?: { value: number; revision: number } | null })?.current;
  if (reply.code === "CONFLICT" && current && current.value === value && current.revision === revision + 1) {
    revisions.set(indicator, current.revision);
    p.ledger.saves.push({ unit: p.unit, indicator, value, revision: current.revision, inferred: true });
    p.ledger.refusals.push({
      kind: "save (own write, applied by an earlier try)",
      status: 409,
      code: "CONFLICT",
      expected: "CONFLICT",
      answeredAt: Date.now(),
    });
    return;
  }
  if (reply.code === "CONFLICT" && current) revisions.set(indicator, current.revision);
  p.ledger.refusals.push({
    kind: "save",
    status: reply.status,
    code: reply.code,
    expected,
    answeredAt: Date.now(),
  });
}

/** The first indicator's evidence file: a small PDF naming the unit. */
async function upload(p: ReporterPlan, session: Session, base: string): Promise<boolean> {
  const pdf = Buffer.from(
    `%PDF-1.4\n% evidence of ${p.unit}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`,
    "latin1",
  );
  const reply = await p.client.send(
    "evidence",
    "POST",
    `${base}/evidence?indicator=${leafCode(0)}&period=${RUSH_PERIOD}&filename=evidence.pdf`,
    { session, body: pdf, type: "application/pdf" },
  );
  if (reply.status === 201) {
    p.ledger.evidence.push({ unit: p.unit, indicator: leafCode(0), id: (reply.body as { id: string }).id });
    return true;
  }
  p.ledger.refusals.push({
    kind: "evidence",
    status: reply.status,
    code: reply.code,
    expected: null,
    answeredAt: Date.now(),
  });
  return false;
}
