import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import { defaultSecurity } from "../../src/server/config.js";
import { openDatabase, resultRows } from "../../src/server/db/client.js";
import { deadlineReminders, mailOutbox, notifications } from "../../src/server/db/schema/index.js";
import { appendAudit } from "../../src/server/modules/audit/service.js";
import { MAX_ATTEMPTS } from "../../src/server/modules/notifications/service.js";
import type { Client } from "../helpers/accounts.js";
import { usingPostgres } from "../helpers/database.js";
import { examplePlan } from "../helpers/example-plan.js";
import { startSmtp } from "../helpers/smtp.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

const plan = examplePlan();
const HOUR = 3600_000;
const DAY = 24 * HOUR;
let clock = Date.parse("2023-03-01T00:00:00Z");
let t: TestApp;
let app: FastifyInstance;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let office: Client;
let reviewer: Client;
const reporter: Record<string, Client> = {};
const leader: Record<string, Client> = {};
let planId = "";

const inbox = async (c: Client, query = "") =>
  (await c.request("GET", `/api/v1/notifications${query}`)).json();
const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));
const address = (c: Client) => `${c.username}@example.gov.cn`;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await testApp({
    now: () => new Date(clock),
    security: { ...defaultSecurity, loginsPerMinute: 1000, idleTimeoutMs: 1e12, sessionLifetimeMs: 1e12 },
    units: plan,
    smtp: { url: smtp.url, from: "考核办 <kaohe@example.gov.cn>" },
  });
  ({ app } = t);
  office = await t.signIn("office", ["office_staff"]);
  reviewer = await t.signIn("reviewer", ["reviewer"]);
  for (const code of ["kjj", "fgw"]) {
    reporter[code] = await t.signIn(`${code}.reporter`, ["unit_reporter"], code);
    leader[code] = await t.signIn(`${code}.leader`, ["unit_leader"], code);
  }
  for (const c of [office, reporter.kjj!, leader.kjj!, reporter.fgw!]) {
    const r = await c.request("PUT", "/api/v1/notifications/settings", { email: address(c) });
    expect(r.json()).toEqual({ email: address(c), mailEnabled: true });
  }
  // The account's language: users.language where the accounts' work has added it (read defensively).
  await t.db.execute(sql`ALTER TABLE users ADD COLUMN IF NOT EXISTS language text`);
  await t.db.execute(sql`UPDATE users SET language = 'en' WHERE username = 'fgw.reporter'`);
});
// Each step a minute later, so that the newest notification comes first.
beforeEach(() => {
  clock += 60_000;
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe("notifications: the inbox and e-mail, from the audit trail", () => {
  it("a published plan notifies the people of the units assessed, in their language, by e-mail too", async () => {
    planId = (await t.publish(office, plan, false)).planId;
    expect(await inbox(office)).toMatchObject({ items: [], total: 0, unread: 0 });
    const round = await app.notifications.tick();
    // 2 reporters and 2 leaders of the plan's units (the office and the reviewer are not units' people).
    expect(round).toMatchObject({ notified: 4, mailed: 3 });
    const kjj = await inbox(reporter.kjj!);
    expect(kjj).toMatchObject({ total: 1, unread: 1 });
    expect(kjj.items[0]).toMatchObject({
      kind: "plan_published",
      link: `/entry?plan=${planId}`,
      planId,
      readAt: null,
      subject: `考核方案已发布：${plan.name}`,
    });
    expect(await inbox(office)).toMatchObject({ total: 0, unread: 0 });
    expect((await inbox(reviewer)).total).toBe(0);
    // The inbox follows the reader's language.
    const en = (
      await reporter.kjj!.request("GET", "/api/v1/notifications", undefined, { "accept-language": "en" })
    ).json();
    expect(en.items[0].subject).toBe(`Assessment plan published: ${plan.nameEn}`);

    const [mail] = mailsTo(address(reporter.kjj!));
    expect(mailsTo(address(reporter.kjj!))).toHaveLength(1);
    expect(mail).toMatchObject({ from: "kaohe@example.gov.cn", subject: `考核方案已发布：${plan.name}` });
    expect(mail!.body).toContain(`考核方案“${plan.name}”（第 1 版）已发布`);
    expect(mail!.body).toContain("——kaohe 考核平台");
    expect(kjj.items[0].body).not.toContain("kaohe 考核平台");
    // fgw.reporter's account is in English: the e-mail is too.
    const [english] = mailsTo(address(reporter.fgw!));
    expect(english!.subject).toBe(`Assessment plan published: ${plan.nameEn}`);
    expect(english!.body).toContain("has been published");
    // A second round finds nothing new: each audit entry notifies once.
    expect(await app.notifications.tick()).toEqual({ notified: 0, reminded: 0, mailed: 0 });
    expect(smtp.received).toHaveLength(3);
  });

  it("each account reads and marks only its own notifications (another's id is 404)", async () => {
    const mine = (await inbox(reporter.kjj!)).items[0];
    const theirs = (await inbox(reporter.fgw!)).items[0];
    expect(mine.id).not.toBe(theirs.id);
    const attempt = await reporter.fgw!.request("POST", `/api/v1/notifications/${mine.id}/read`);
    expect(attempt.statusCode).toBe(404);
    expect(attempt.json().code).toBe("NOT_FOUND");
    expect((await inbox(reporter.kjj!)).unread).toBe(1);
    expect((await inbox(reporter.fgw!)).items.map((n: { id: string }) => n.id)).toEqual([theirs.id]);
    expect((await inbox(office)).total).toBe(0);

    const read = await reporter.kjj!.request("POST", `/api/v1/notifications/${mine.id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).toBe(new Date(clock).toISOString());
    expect((await reporter.kjj!.request("GET", "/api/v1/notifications/unread-count")).json()).toEqual({
      unread: 0,
    });
    expect((await inbox(reporter.fgw!, "?unread=true")).total).toBe(1);
    expect((await reporter.fgw!.request("POST", "/api/v1/notifications/read-all")).json()).toEqual({
      updated: 1,
    });
    expect((await inbox(reporter.fgw!, "?unread=true")).total).toBe(0);
    // Signed out: no inbox at all.
    expect((await app.inject({ method: "GET", url: "/api/v1/notifications/unread-count" })).statusCode).toBe(
      401,
    );
  });

  it("a returned value notifies the unit's reporters with the reason", async () => {
    const url = (what: string) => `/api/v1/plans/${planId}/units/kjj/${what}`;
    expect(
      (await reporter.kjj!.request("PUT", url("values"), { indicator: "B2", period: "2022", value: 1 }))
        .statusCode,
    ).toBe(200);
    expect((await leader.kjj!.request("POST", url("submit"))).statusCode).toBe(200);
    const r = await office.request("POST", url("review"), {
      indicator: "B2",
      period: "2022",
      decision: "return",
      reason: "数值与统计公报不符，请核实",
    });
    expect(r.statusCode, r.body).toBe(204);
    await app.notifications.tick();
    const [returned] = (await inbox(reporter.kjj!, "?unread=true")).items;
    expect(returned).toMatchObject({ kind: "value_returned", link: `/entry?plan=${planId}` });
    expect(returned.subject).toMatch(/^数据被退回：.+（2022）$/);
    expect(returned.body).toContain("退回理由：数值与统计公报不符，请核实");
    // Only the reporters: the leader and the other unit hear nothing of it.
    expect((await inbox(leader.kjj!, "?unread=true")).total).toBe(1); // the plan's publication only
    expect((await inbox(reporter.fgw!, "?unread=true")).total).toBe(0);
    const mail = mailsTo(address(reporter.kjj!)).at(-1)!;
    expect(mail.subject).toBe(returned.subject);
    expect(mail.body).toContain("数值与统计公报不符，请核实");
  });

  it("an entry that cannot be notified is skipped, not left to hold back every later one", async () => {
    await appendAudit(t.db, {
      actor: "test",
      action: "value.return",
      entity: "value",
      entityId: "not-a-value-id",
      after: { unit: "kjj", indicator: "B2", period: "2022", reason: "?" },
    });
    expect((await app.notifications.tick()).notified).toBe(0);
    const [cursor] = resultRows<{ behind: number }>(
      await t.db.execute(
        sql`SELECT (SELECT max(seq) FROM audit_log) - (SELECT seq FROM notification_cursor) AS behind`,
      ),
    );
    expect(Number(cursor!.behind)).toBe(0);
  });

  it("an objection filed notifies the office; its resolution notifies the unit", async () => {
    const second = { ...examplePlan(), id: "notify-objections", publication: { noticeDays: 5 } };
    const { planId: id } = await t.publish(office, second);
    const run = (await office.request("POST", `/api/v1/plans/${id}/runs`)).json().id;
    const publication = (await office.request("POST", `/api/v1/plans/${id}/runs/${run}/publish`)).json().id;
    const objections = `/api/v1/plans/${id}/publications/${publication}/objections`;
    clock += 60_000;
    const filed = await leader.kjj!.request("POST", objections, {
      unit: "kjj",
      reason: "党建考核得分有误，请复核",
    });
    expect(filed.statusCode, filed.body).toBe(201);
    await app.notifications.tick();
    const [toOffice] = (await inbox(office)).items;
    expect(toOffice).toMatchObject({
      kind: "objection_filed",
      link: `/objections?plan=${id}`,
      subject: "收到异议：市科技局",
    });
    expect(toOffice.body).toContain("异议理由：党建考核得分有误，请复核");
    expect(mailsTo(address(office)).at(-1)!.subject).toBe("收到异议：市科技局");

    clock += 60_000;
    const resolved = await office.request("POST", `${objections}/${filed.json().id}/resolve`, {
      decision: "rejected",
      resolution: "评分程序符合规定，维持原结果",
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    await app.notifications.tick();
    for (const c of [reporter.kjj!, leader.kjj!]) {
      const [n] = (await inbox(c)).items;
      expect(n).toMatchObject({ kind: "objection_resolved", subject: `异议未予受理：${second.name}` });
      expect(n.body).toContain("处理意见：评分程序符合规定，维持原结果");
    }
    expect((await inbox(reporter.fgw!)).items[0].kind).not.toBe("objection_resolved");
    expect((await inbox(office)).items[0].kind).toBe("objection_filed");
  });

  it("results under notice, republished and final notify every unit's people, with the notice period", async () => {
    const third = { ...examplePlan(), id: "notify-results", publication: { noticeDays: 1 } };
    const { planId: id } = await t.publish(office, third);
    const results = async (c: Client) =>
      (await inbox(c, "?pageSize=100")).items.filter(
        (n: { kind: string; planId: string }) => n.planId === id && n.kind.startsWith("results_"),
      );
    const publish = async () => {
      const run = (await office.request("POST", `/api/v1/plans/${id}/runs`)).json().id;
      const r = await office.request("POST", `/api/v1/plans/${id}/runs/${run}/publish`);
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    await publish();
    await app.notifications.tick();
    for (const c of [reporter.kjj!, leader.kjj!, reporter.fgw!, leader.fgw!]) {
      const [n] = await results(c);
      expect(n).toMatchObject({ kind: "results_published", link: `/results?plan=${id}` });
    }
    const [first] = await results(leader.kjj!);
    expect(first.subject).toBe(`考核结果公示：${third.name}`);
    expect(first.body).toMatch(/公示期至 \d{4}-\d\d-\d\d \d\d:\d\d（北京时间）/);
    expect(first.body).toContain("如有异议，请在公示期内提出");
    expect(await results(office)).toHaveLength(0);
    expect(mailsTo(address(leader.kjj!)).at(-1)!.subject).toBe(first.subject);
    expect(mailsTo(address(reporter.fgw!)).at(-1)!.subject).toBe(
      `Results under public notice: ${third.nameEn}`,
    );

    clock += 60_000;
    const second = await publish();
    await app.notifications.tick();
    const [again] = await results(reporter.kjj!);
    expect(again.subject).toBe(`考核结果已更新公示：${third.name}`);
    expect(again.body).toContain("此前的公示同时撤回");

    clock += 2 * DAY;
    const final = await office.request("POST", `/api/v1/plans/${id}/publications/${second}/finalise`);
    expect(final.statusCode, final.body).toBe(204);
    await app.notifications.tick();
    const kinds = (await results(leader.fgw!)).map((n: { kind: string }) => n.kind);
    expect(kinds).toEqual(["results_final", "results_published", "results_published"]);
    expect((await results(leader.fgw!))[0].subject).toBe(`考核结果已定稿：${third.name}`);
  });

  it("results published under an embargo are told to the units when the public sees them, once", async () => {
    const plan4 = { ...examplePlan(), id: "notify-embargo", publication: { noticeDays: 3 } };
    const { planId: id } = await t.publish(office, plan4);
    await app.notifications.tick(); // the plan's own notice (plan_published), out of the way
    const results = async (c: Client) =>
      (await inbox(c, "?pageSize=100")).items.filter(
        (n: { kind: string; planId: string }) => n.planId === id && n.kind.startsWith("results_"),
      );
    const run = (await office.request("POST", `/api/v1/plans/${id}/runs`)).json().id;
    const visibleFrom = clock + 2 * HOUR;
    const r = await office.request("POST", `/api/v1/plans/${id}/runs/${run}/publish`, {
      visibleFrom: new Date(visibleFrom).toISOString(),
    });
    expect(r.statusCode, r.body).toBe(201);
    const mailed = mailsTo(address(leader.kjj!)).length;
    await app.notifications.tick();
    await new Promise((resolve) => setTimeout(resolve, 200)); // an e-mail sent would have arrived
    // Embargoed: no unit hears of it, in the inbox or by e-mail.
    for (const c of [reporter.kjj!, leader.kjj!, reporter.fgw!]) expect(await results(c)).toEqual([]);
    expect(mailsTo(address(leader.kjj!)).length).toBe(mailed);
    clock = visibleFrom + 60_000;
    await app.notifications.tick();
    await app.notifications.tick();
    for (const c of [reporter.kjj!, leader.kjj!, reporter.fgw!, leader.fgw!]) {
      const told = await results(c);
      expect(told.map((n: { kind: string }) => n.kind)).toEqual(["results_published"]);
    }
    expect(mailsTo(address(leader.kjj!)).length).toBe(mailed + 1);
  });

  it("deadline reminders 7 days, 1 day and 2 hours before, once each, to units that have not submitted", async () => {
    // fgw reports and submits everything it has: it is not reminded. kjj still has a returned value.
    const fgw = `/api/v1/plans/${planId}/units/fgw`;
    await reporter.fgw!.request("PUT", `${fgw}/values`, { indicator: "B2", period: "2022", value: 1 });
    expect((await leader.fgw!.request("POST", `${fgw}/submit`)).statusCode).toBe(200);
    const deadline = clock + 10 * DAY;
    const set = await office.request("PUT", `/api/v1/plans/${planId}/deadline`, {
      deadline: new Date(deadline).toISOString(),
    });
    expect(set.statusCode, set.body).toBe(204);
    await app.notifications.tick();
    const deadlineMails = () => smtp.received.filter((m) => m.subject.startsWith("填报截止提醒"));
    const reminders = async (c: Client) =>
      (await inbox(c, "?pageSize=100")).items.filter((n: { kind: string }) => n.kind === "deadline");
    expect(await reminders(reporter.kjj!)).toHaveLength(0); // 10 days ahead: nothing due yet

    clock = deadline - 7 * DAY + 60_000;
    // Two app processes on one database run their rounds at the same time.
    const other = await t.another({
      now: () => new Date(clock),
      smtp: { url: smtp.url, from: "kaohe@example.gov.cn" },
    });
    await Promise.all([app.notifications.tick(), other.notifications.tick(), app.notifications.tick()]);
    await Promise.all([app.notifications.tick(), other.notifications.tick()]);
    const sent = await t.db.select().from(deadlineReminders);
    // Every unit of the plan but fgw, once.
    expect(sent.map((r) => r.unitCode).sort()).toEqual(
      plan.units
        .map((u: { code: string }) => u.code)
        .filter((c: string) => c !== "fgw")
        .sort(),
    );
    expect(new Set(sent.map((r) => r.kind))).toEqual(new Set(["7d"]));
    for (const c of [reporter.kjj!, leader.kjj!]) {
      const got = await reminders(c);
      expect(got).toHaveLength(1);
      expect(got[0].subject).toBe(`填报截止提醒（还有 7 天）：${plan.name}`);
    }
    expect(await reminders(reporter.fgw!)).toHaveLength(0);
    expect(
      deadlineMails()
        .map((m) => m.to[0])
        .sort(),
    ).toEqual([address(leader.kjj!), address(reporter.kjj!)].sort());
    expect(deadlineMails()[0]!.body).toContain("本单位尚未提交");

    clock = deadline - DAY + 60_000;
    await Promise.all([app.notifications.tick(), other.notifications.tick()]);
    clock = deadline - 2 * HOUR + 60_000;
    await Promise.all([other.notifications.tick(), app.notifications.tick()]);
    await app.notifications.tick();
    const kinds = (await reminders(reporter.kjj!)).map(
      (n: { subject: string }) => /还有 (.+?)）/.exec(n.subject)![1],
    );
    expect(kinds).toEqual(["2 小时", "1 天", "7 天"]);
    expect(deadlineMails()).toHaveLength(6);
    // After the deadline, nothing more.
    clock = deadline + HOUR;
    expect((await app.notifications.tick()).reminded).toBe(0);
  });

  it("an e-mail the server refuses is retried later, a bounded number of times", async () => {
    const busy = address(leader.kjj!);
    smtp.refuse.add(busy);
    const before = smtp.received.length;
    const r = await office.request("PUT", `/api/v1/plans/${planId}/deadline`, {
      deadline: new Date(clock + 3 * DAY).toISOString(),
    });
    expect(r.statusCode).toBe(204);
    clock += 2 * DAY + 60_000; // the new deadline's 1-day reminder
    await app.notifications.tick();
    const row = async () =>
      (await t.db.select().from(mailOutbox)).find(
        (m) => m.to === busy && m.subject.includes("1 天") && !m.sentAt && m.attempts > 0,
      )!;
    expect(await row()).toMatchObject({ attempts: 1, sentAt: null, failedAt: null });
    expect((await row()).lastError).toContain("451");
    expect(smtp.received.length).toBe(before + 1); // the reporter's reached it
    // Not again before its wait is over…
    await app.notifications.tick();
    expect((await row()).attempts).toBe(1);
    // …then retried, up to the bound, then given up.
    for (let k = 2; k <= MAX_ATTEMPTS + 1; k++) {
      clock += 2 * HOUR;
      await app.notifications.sendMail();
    }
    const given = (await t.db.select().from(mailOutbox)).find((m) => m.to === busy && m.failedAt)!;
    expect(given.attempts).toBe(MAX_ATTEMPTS);
    // Once the server takes it again, new mail goes through.
    smtp.refuse.delete(busy);
    expect((await t.db.select().from(notifications)).length).toBeGreaterThan(0);
  });
});

describe("reminders of a unit reopened after the deadline", () => {
  it("are counted from the reopening's end, and say the time actually left", async () => {
    const doc = { ...examplePlan(), id: "notify-reopened" };
    const { planId: id } = await t.publish(office, doc, false);
    const deadline = clock + 2 * DAY;
    await office.request("PUT", `/api/v1/plans/${id}/deadline`, {
      deadline: new Date(deadline).toISOString(),
    });
    const reminders = async (c: Client) =>
      (await inbox(c, "?pageSize=100")).items.filter(
        (n: { kind: string; planId: string }) => n.kind === "deadline" && n.planId === id,
      );
    // Set 2 days ahead: the first reminder goes at once and says 2 days, not 7.
    await app.notifications.tick();
    expect((await reminders(reporter.kjj!)).map((n: { subject: string }) => n.subject)).toEqual([
      `填报截止提醒（还有 2 天）：${doc.name}`,
    ]);
    // The deadline passes; the office reopens kjj for 3 days.
    clock = deadline + HOUR;
    expect((await app.notifications.tick()).reminded).toBe(0);
    const until = clock + 3 * DAY;
    const reopened = await office.request("POST", `/api/v1/plans/${id}/units/kjj/reopen`, {
      until: new Date(until).toISOString(),
      reason: "补报佐证材料",
    });
    expect(reopened.statusCode, reopened.body).toBe(204);
    await app.notifications.tick();
    clock = until - DAY + 60_000;
    await app.notifications.tick();
    clock = until - 2 * HOUR + 60_000;
    await app.notifications.tick();
    const got = await reminders(reporter.kjj!);
    expect(got.map((n: { subject: string }) => /还有 (.+?)）/.exec(n.subject)![1])).toEqual([
      "2 小时",
      "1 天",
      "3 天",
      "2 天",
    ]);
    // Only kjj was reopened: the others heard nothing after the plan's deadline.
    expect(await reminders(reporter.fgw!)).toHaveLength(1);
    clock = until + 60_000;
    expect((await app.notifications.tick()).reminded).toBe(0);
  });
});

describe.runIf(usingPostgres)("exactly once with two app processes on PostgreSQL", () => {
  it("two apps, each with its own connection pool, racing their rounds deliver each reminder and e-mail once", async () => {
    const [{ name }] = resultRows<{ name: string }>(
      await t.db.execute(sql`SELECT current_database() AS name`),
    ) as [{ name: string }];
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    const second = await openDatabase({ databaseUrl: url.toString() });
    const smtpSettings = { url: smtp.url, from: "kaohe@example.gov.cn" };
    const other = await buildApp({ database: second, now: () => new Date(clock), smtp: smtpSettings });
    try {
      for (let round = 0; round < 6; round++) {
        const doc = { ...examplePlan(), id: `race-${round}` };
        const { planId: id } = await t.publish(office, doc, false);
        const deadline = clock + 7 * DAY - HOUR;
        await office.request("PUT", `/api/v1/plans/${id}/deadline`, {
          deadline: new Date(deadline).toISOString(),
        });
        const before = smtp.received.length;
        await Promise.all([
          app.notifications.tick(),
          other.notifications.tick(),
          other.notifications.tick(),
          app.notifications.tick(),
        ]);
        const mine = (await inbox(reporter.kjj!, "?pageSize=100")).items.filter(
          (n: { planId: string }) => n.planId === id,
        );
        // One publication notice and one 7-day reminder, whichever process wrote them.
        expect(mine.map((n: { kind: string }) => n.kind).sort()).toEqual(["deadline", "plan_published"]);
        const mails = smtp.received.slice(before).filter((m) => m.to.includes(address(reporter.kjj!)));
        expect(mails).toHaveLength(2);
        const rows = resultRows<{ n: number }>(
          await t.db.execute(
            sql`SELECT count(*)::int AS n FROM deadline_reminders r JOIN plan_versions v ON v.id = r.plan_version_id WHERE v.plan_id = ${id}`,
          ),
        );
        expect(rows[0]!.n).toBe(plan.units.length);
      }
    } finally {
      await other.close();
      await second.close();
    }
  });
});
