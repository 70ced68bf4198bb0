import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/engine/index.js";
import { reportedValues } from "../../src/server/db/schema/index.js";
import { DEMO_PASSWORD } from "../../src/server/demo.js";
import { BY_CATEGORY_FROM } from "../../src/web/pages/results/components/by-category.js";
import { signInAs } from "../helpers/accounts.js";
import { publishExample, registerUnits } from "../helpers/example-plan.js";
import { seriousViolations } from "./axe.js";
import { chooseOption, type DemoSite, demoSite, ok, openAsDemo, screenshotDir } from "./browser.js";

/**
 * A large plan's results, a category at a time (docs/scale.md: a province's office page by city): a plan of
 * BY_CATEGORY_FROM units in three categories, scored; the office's results page reads the run one
 * category at a time (?category= in its request, never the whole run) and switches category from a picker.
 */
let site: DemoSite;
let planId = "";
let runId = "";
const CITIES = ["甲市", "乙市", "丙市"];
const UNITS = BY_CATEGORY_FROM;

const plan = (): Plan =>
  ({
    format: "kaohe-plan/1",
    id: "province-by-city",
    name: "全省县区综合考核（示例）",
    period: { key: "2026" },
    pointsTotal: 100,
    units: Array.from({ length: UNITS }, (_, u) => ({
      code: `x${u}`,
      name: `${CITIES[u % 3]}第${u}区`,
      ...(u >= UNITS - 2 ? { standalone: true } : {}),
    })),
    categories: CITIES.map((name, c) => ({
      code: `c${c}`,
      name,
      // The last two units in no category (单列).
      units: Array.from({ length: UNITS - 2 }, (_, u) => u)
        .filter((u) => u % 3 === c)
        .map((u) => `x${u}`),
    })),
    indicators: [
      {
        code: "GDP",
        name: "地区生产总值增速",
        points: 100,
        rule: { type: "relative", normaliser: { method: "minmax", range: [0, 1] } },
      },
    ],
    grades: [
      { code: "优秀", minScore: 90, quota: { share: 0.2 } },
      { code: "良好", minScore: 60 },
      { code: "合格" },
    ],
  }) as unknown as Plan;

beforeAll(async () => {
  site = await demoSite();
  const office = await signInAs(site.app, "office", DEMO_PASSWORD);
  await registerUnits(site.database.db, plan());
  const published = await publishExample(site.database.db, office, plan(), false);
  planId = published.planId;
  await site.database.db.insert(reportedValues).values(
    Array.from({ length: UNITS }, (_, u) => ({
      planVersionId: published.versionId,
      unitCode: `x${u}`,
      indicator: "GDP",
      period: "2026",
      value: u,
      status: "approved" as const,
    })),
  );
  runId = (await ok(office.request("POST", `/api/v1/plans/${planId}/runs`))).json().id;
}, 120_000);
afterAll(async () => {
  await site?.close();
});

/** The run requests the page makes, as their query strings. */
function runRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.pathname === `/api/v1/plans/${planId}/runs/${runId}`) seen.push(url.search);
  });
  return seen;
}

describe("a large plan's results, a category at a time", () => {
  it("reads the first category's units only, and the next one chosen from the picker", async () => {
    const { context, page, errors } = await openAsDemo(site, "office");
    const requests = runRequests(page);
    await page.goto(`${site.url}/results?plan=${planId}&run=${runId}`);
    await page.getByRole("heading", { name: "甲市排名" }).waitFor();
    await page.getByText(`共 ${UNITS} 个单位，按类别分页显示；本类别 166 个`).waitFor();
    // The top of 甲市: its highest value, x495 (x498 and x499 are 单列), min-max over the province: 495 / 499.
    await page.getByRole("row").filter({ hasText: "甲市第495区" }).filter({ hasText: "99.20" }).waitFor();
    expect(await page.getByRole("heading", { name: "乙市排名" }).count()).toBe(0);
    expect(requests).toEqual(["?category=c0"]);
    expect(await seriousViolations(page)).toEqual([]);
    // The viewport: the pickers and the ranking's head (the whole page is the category's 167 rows).
    await page.screenshot({ path: join(screenshotDir, "results-by-category.png") });

    await chooseOption(page, page.getByLabel("类别"), (list) => list.getByText("乙市", { exact: true }));
    await page.getByRole("heading", { name: "乙市排名" }).waitFor();
    await page.getByText(`共 ${UNITS} 个单位，按类别分页显示；本类别 166 个`).waitFor();
    await page.getByRole("row").filter({ hasText: "乙市第496区" }).filter({ hasText: "99.40" }).waitFor();
    expect(await page.getByRole("heading", { name: "甲市排名" }).count()).toBe(0);
    expect(new URL(page.url()).searchParams.get("category")).toBe("c1");

    // The units in no category: one more choice, read by themselves.
    await chooseOption(page, page.getByLabel("类别"), (list) => list.getByText("单列单位", { exact: true }));
    await page.getByRole("heading", { name: "单列单位排名" }).waitFor();
    await page.getByText(`共 ${UNITS} 个单位，按类别分页显示；本类别 2 个`).waitFor();
    await page.getByRole("row").filter({ hasText: "甲市第498区" }).waitFor();
    await page.getByRole("row").filter({ hasText: "乙市第499区" }).filter({ hasText: "100.00" }).waitFor();
    expect(requests).toEqual(["?category=c0", "?category=c1", "?standalone=true"]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
