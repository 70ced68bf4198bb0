/**
 * The demo year (kaohe serve --demo) built on a database (issue 11's first check): seeded in one transaction, once; the year
 * finished (a value returned and corrected, an objection answered, results final); the bureau's 喜报
 * drafted from the final run says the seed's headline facts, and a changed 2021 rank changes its sentence.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanPage } from "../../src/portal/check/index.js";
import { buildApp } from "../../src/server/app.js";
import type { DatabaseHandle } from "../../src/server/db/client.js";
import {
  auditLog,
  bulletins,
  objections,
  organisations,
  plans,
  planVersions,
  publications,
  reportedValues,
} from "../../src/server/db/schema/index.js";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "../../src/server/demo.js";
import { seedDemoYear } from "../../src/server/demo-year/seed.js";
import type { PlanHistory } from "../../src/server/modules/runs/schema.js";
import { signInAs } from "../helpers/accounts.js";
import { testDatabase } from "../helpers/database.js";

let database: DatabaseHandle;
let app: FastifyInstance;
beforeAll(async () => {
  database = await testDatabase();
  app = await buildApp({ database });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const planIdOf = async (name: string) => {
  const [p] = await database.db.select({ id: plans.id }).from(plans).where(eq(plans.name, name));
  return p!.id;
};

describe("the demo year", () => {
  it("leaves nothing when seeding fails half-way (one transaction)", async () => {
    // Without the third reviewer the seed fails at the first plan's marks, after the organisations,
    // accounts, plans and values went in: all of it is rolled back, and the next start seeds whole.
    const short = DEMO_ACCOUNTS.filter((a) => a.username !== "reviewer3");
    await expect(seedDemoYear(database.db, short, DEMO_PASSWORD)).rejects.toThrow(/reviewer3/);
    expect(await database.db.select({ id: plans.id }).from(plans)).toEqual([]);
    expect(await database.db.select({ id: reportedValues.id }).from(reportedValues)).toEqual([]);
    expect(await database.db.select({ id: organisations.id }).from(organisations)).toEqual([]);
  });

  it("is seeded once, whole, with the demo accounts", async () => {
    const started = performance.now();
    const accounts = await seedDemo(database.db);
    // A figure for the report, not an assertion (the machine is shared): issue 11 asks for under 30 s.
    console.log(`demo year seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(accounts.map((a) => a.username)).toEqual(DEMO_ACCOUNTS.map((a) => a.username));
    expect(await seedDemo(database.db)).toEqual([]);
    const names = (await database.db.select({ name: plans.name }).from(plans)).map((p) => p.name).sort();
    expect(names).toEqual([
      "2021年度目标责任制考核方案（示例）",
      "2022年度人才工作目标责任制考核方案（示例）",
      "2022年度目标责任制考核方案（示例）",
      "2023年度目标责任制考核方案（示例）",
    ]);
  });

  it("shows the year finished: a value returned and corrected, an objection answered, results final", async () => {
    const work = await planIdOf("2022年度目标责任制考核方案（示例）");
    const returned = await database.db
      .select({ action: auditLog.action, after: auditLog.after })
      .from(auditLog)
      .where(eq(auditLog.action, "value.return"));
    expect(returned).toHaveLength(1);
    expect(returned[0]!.after).toMatchObject({ unit: "kjj", indicator: "A1", status: "returned" });
    const [a1] = await database.db
      .select({
        value: reportedValues.value,
        status: reportedValues.status,
        revision: reportedValues.revision,
      })
      .from(reportedValues)
      .innerJoin(planVersions, eq(planVersions.id, reportedValues.planVersionId))
      .where(
        and(
          eq(planVersions.planId, work),
          eq(reportedValues.unitCode, "kjj"),
          eq(reportedValues.indicator, "A1"),
        ),
      );
    expect(a1).toMatchObject({ status: "approved" });
    expect(a1!.revision).toBeGreaterThan(1);
    const objs = await database.db.select().from(objections);
    expect(objs).toHaveLength(1);
    expect(objs[0]).toMatchObject({ unitCode: "kjj", status: "rejected" });
    const pubs = await database.db.select({ status: publications.status }).from(publications);
    expect(pubs.map((p) => p.status)).toEqual(["final", "final", "final"]);
    // The public list: 2021 and both 2022 plans final; 市科技局 良好 in 2021, then 优秀 among 40
    // departments and 优胜 in the talent plan.
    const list = (await app.inject({ method: "GET", url: "/api/v1/public/plans" })).json().items as {
      planId: string;
      name: string;
      status: string;
    }[];
    expect(list.map((p) => p.status)).toEqual(["final", "final", "final"]);
    const grades: Record<string, unknown> = {};
    for (const p of list) {
      const r = (await app.inject({ method: "GET", url: `/api/v1/public/plans/${p.planId}/results` })).json();
      grades[p.name] = r.units.find((u: { unit: string }) => u.unit === "kjj").grade;
      if (p.planId === work) expect(r.units.length).toBe(40);
    }
    expect(grades).toEqual({
      "2021年度目标责任制考核方案（示例）": "良好",
      "2022年度目标责任制考核方案（示例）": "优秀",
      "2022年度人才工作目标责任制考核方案（示例）": "优胜",
    });
  });

  it("asks 市科技局 alone for its provincial indicators (appliesTo): every other unit has reported all it must", async () => {
    const office = await signInAs(app, "office", DEMO_PASSWORD);
    for (const name of [
      "2021年度目标责任制考核方案（示例）",
      "2022年度目标责任制考核方案（示例）",
      "2022年度人才工作目标责任制考核方案（示例）",
    ]) {
      const r = await office.request("GET", `/api/v1/plans/${await planIdOf(name)}/progress`);
      expect(r.statusCode, r.body).toBe(200);
      const units = r.json().units as { unit: string; expected: number; approved: number }[];
      const kjj = units.find((u) => u.unit === "kjj")!;
      const others = units.filter((u) => u.unit !== "kjj");
      // The year is finished: every cell a unit reports is approved (市科技局 has its history rows too).
      for (const u of others) expect(u.approved, `${name} ${u.unit}`).toBe(u.expected);
      expect(kjj.approved).toBeGreaterThanOrEqual(kjj.expected);
      expect(new Set(others.map((u) => u.expected)).size).toBe(1);
      expect(kjj.expected).toBeGreaterThan(others[0]!.expected);
    }
  });

  it("publishes the bureau's 喜报 with the seed's headline facts, drafted from the data", async () => {
    const [b] = await database.db.select().from(bulletins);
    expect(b!.status).toBe("published");
    const portal = (await app.inject({ method: "GET", url: `/portal/bulletins/${b!.id}` })).body;
    expect(portal).toContain("市科技局荣获2022年度目标责任制考核优秀单位及人才工作目标责任制考核优胜单位");
    for (const fact of [
      "全社会R&amp;D经费占GDP比重2.87%，十年来首次由第五位提升至第四位",
      "规上工业研发费用占营业收入比重3.8%，全省第一位",
      "高新技术产业投资增长48.2%，全省第三位",
      "高新技术产业增加值增长10.4%，全省第三位",
      "科技创新工作首次获省政府督查激励",
    ])
      expect(portal).toContain(fact);
  });

  it("serves every portal page (both results, the 喜报, in Chinese and English) clean of injected content", async () => {
    const seen = new Set<string>();
    const queue = ["/portal", "/portal?lang=en"];
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const r = await app.inject({ method: "GET", url });
      expect(r.statusCode, url).toBe(200);
      if (!String(r.headers["content-type"]).startsWith("text/html")) continue;
      expect(scanPage(r.body, { ownHosts: ["localhost", "localhost:80"] }), url).toEqual([]);
      for (const [, href] of r.body.matchAll(/href="(\/portal[^"#]*)"/g)) {
        const next = href!.replaceAll("&amp;", "&");
        if (!/\/(verify|source)|\.pdf|print/.test(next)) queue.push(next);
      }
    }
    const pages = [...seen];
    expect(pages.filter((u) => u.startsWith("/portal/notices/")).length).toBeGreaterThanOrEqual(3);
    expect(pages.some((u) => u.startsWith("/portal/bulletins/"))).toBe(true);
  });

  it("gives each final result as a PDF whose text has the plan's title and every unit's grade", async () => {
    const home = (await app.inject({ method: "GET", url: "/portal/results" })).body;
    const notices = [
      ...new Set([...home.matchAll(/href="(\/portal\/notices\/[0-9a-f-]{36})"/g)].map((m) => m[1]!)),
    ];
    expect(notices).toHaveLength(3);
    const list = (await app.inject({ method: "GET", url: "/api/v1/public/plans" })).json().items as {
      planId: string;
      name: string;
    }[];
    const dir = mkdtempSync(join(tmpdir(), "kaohe-demo-pdf-"));
    const texts: string[] = [];
    for (const [k, url] of notices.entries()) {
      const r = await app.inject({ method: "GET", url: `${url}/notice.pdf` });
      expect(r.statusCode, url).toBe(200);
      writeFileSync(join(dir, `${k}.pdf`), r.rawPayload);
      texts.push(execFileSync("pdftotext", ["-layout", join(dir, `${k}.pdf`), "-"], { encoding: "utf8" }));
    }
    for (const p of list) {
      const text = texts.find((t) => t.replace(/\s+/g, "").includes(p.name.replace(/\s+/g, "")));
      expect(text, p.name).toBeDefined();
      const results = (
        await app.inject({ method: "GET", url: `/api/v1/public/plans/${p.planId}/results` })
      ).json();
      // Every unit by name, with its grade (市纪委监委 is 单列: scored, not graded).
      for (const u of results.units as { name: string; grade: string | null }[])
        expect(text!, `${p.name}: ${u.name}`).toMatch(
          new RegExp(`${u.name}\\s+(\\S+\\s+)*?${u.grade ?? ""}`),
        );
      expect(
        (results.units as { grade: string | null }[]).filter((u) => u.grade === null).length,
      ).toBeLessThanOrEqual(1);
    }
  });

  it("gives the 2022 plan a year before it: 2021 and 2022 final for every unit, ranks moved, 市科技局 rose", async () => {
    const office = await signInAs(app, "office", DEMO_PASSWORD);
    const prior = await planIdOf("2021年度目标责任制考核方案（示例）");
    const work = await planIdOf("2022年度目标责任制考核方案（示例）");
    const r = await office.request("GET", `/api/v1/plans/${work}/history`);
    expect(r.statusCode, r.body).toBe(200);
    const h = r.json() as PlanHistory;
    expect(h.years.map((y) => [y.period, y.planId, y.source])).toEqual([
      ["2021", prior, "final"],
      ["2022", work, "final"],
    ]);
    expect(h.items).toHaveLength(40);
    for (const u of h.items)
      expect(
        u.years.map((y) => y.period),
        u.unit,
      ).toEqual(["2021", "2022"]);
    // The ranks within the categories moved, so the 进位 chart has something to show.
    const moved = h.items.filter((u) => u.years[0]!.rank !== u.years[1]!.rank);
    expect(moved.length).toBeGreaterThan(10);
    // 市科技局: 良好, fifth of the 13 economic departments in 2021; first and 优秀 in 2022.
    const kjj = h.items.find((u) => u.unit === "kjj")!;
    expect(kjj.years.map((y) => [y.rank, y.rankOf, y.grade])).toEqual([
      [5, 13, "良好"],
      [1, 13, "优秀"],
    ]);
    // Its 2021 data keep the seed's provincial rank of R&D/GDP (fifth), as the 2022 history rows do.
    const a4 = await database.db
      .select({ value: reportedValues.value, planId: planVersions.planId })
      .from(reportedValues)
      .innerJoin(planVersions, eq(planVersions.id, reportedValues.planVersionId))
      .where(
        and(
          eq(reportedValues.unitCode, "kjj"),
          eq(reportedValues.indicator, "A4"),
          eq(reportedValues.period, "2021"),
        ),
      );
    expect(a4.sort((a, b) => a.planId.localeCompare(b.planId)).map((x) => x.value)).toEqual([5, 5]);
  });

  it("drafts another sentence once the 2021 rank is another", async () => {
    const office = await signInAs(app, "office", DEMO_PASSWORD);
    const work = await planIdOf("2022年度目标责任制考核方案（示例）");
    const draft = async () => {
      const r = await office.request("POST", `/api/v1/plans/${work}/bulletins`, { unit: "kjj" });
      expect(r.statusCode, r.body).toBe(201);
      return JSON.stringify(r.json());
    };
    const before = await draft();
    expect(before).toContain("十年来首次由第五位提升至第四位");
    // The province's 2021 table said sixth (the history rows are the unit's approved earlier values).
    const a4 = and(
      eq(reportedValues.unitCode, "kjj"),
      eq(reportedValues.indicator, "A4"),
      eq(reportedValues.period, "2021"),
    );
    await database.db.update(reportedValues).set({ value: 6 }).where(a4);
    const rescored = await office.request("POST", `/api/v1/plans/${work}/runs`, {});
    expect(rescored.statusCode, rescored.body).toBe(201);
    const runId = rescored.json().id as string;
    const r = await office.request("POST", `/api/v1/plans/${work}/bulletins`, { unit: "kjj", runId });
    expect(r.statusCode, r.body).toBe(201);
    const after = JSON.stringify(r.json());
    expect(after).toContain("十年来首次由第六位提升至第四位");
    expect(after).not.toContain("由第五位提升至第四位");
    // Fourth already in 2021: the rise and the record are gone, the value stays.
    await database.db.update(reportedValues).set({ value: 4 }).where(a4);
    const again = await office.request("POST", `/api/v1/plans/${work}/runs`, {});
    const flat = JSON.stringify(
      (
        await office.request("POST", `/api/v1/plans/${work}/bulletins`, {
          unit: "kjj",
          runId: again.json().id,
        })
      ).json(),
    );
    expect(flat).toContain("全社会R&D经费占GDP比重2.87%");
    expect(flat).not.toContain("提升至第四位");
  });
});
