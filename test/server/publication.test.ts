import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultSecurity } from "../../src/server/config.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

const planDocument = {
  ...examplePlan(),
  publication: { noticeDays: 5, show: ["grade", "titles"] },
};

let t: TestApp;
let app: FastifyInstance;
let clock = Date.parse("2023-02-01T00:00:00Z");
let office: Client;
let kjjLeader: Client;
let fgwLeader: Client;
let planId = "";
let publicationId = "";

beforeAll(async () => {
  t = await testApp({
    now: () => new Date(clock),
    security: { ...defaultSecurity, idleTimeoutMs: 1e12, sessionLifetimeMs: 1e12 },
    units: planDocument,
  });
  ({ app } = t);
  office = await t.signIn("office", ["office_staff"]);
  kjjLeader = await t.signIn("kjj.leader", ["unit_leader"], "kjj");
  fgwLeader = await t.signIn("fgw.leader", ["unit_leader"], "fgw");
  planId = (await t.publish(office, planDocument)).planId;
});
afterAll(() => t.close());

const objectionsUrl = () => `/api/v1/plans/${planId}/publications/${publicationId}/objections`;

describe("public notice (公示), objections (异议) and final results", () => {
  it("nothing is public before publication", async () => {
    expect(
      (await app.inject({ method: "GET", url: `/api/v1/public/plans/${planId}/results` })).statusCode,
    ).toBe(404);
  });

  it("the office publishes a run; the public sees only what the plan allows", async () => {
    const run = (await office.request("POST", `/api/v1/plans/${planId}/runs`)).json().id;
    const r = await office.request("POST", `/api/v1/plans/${planId}/runs/${run}/publish`);
    expect(r.statusCode, r.body).toBe(201);
    publicationId = r.json().id;
    expect(r.json().noticeUntil).toBe("2023-02-06T00:00:00.000Z");
    const pub = await app.inject({ method: "GET", url: `/api/v1/public/plans/${planId}/results` });
    expect(pub.statusCode).toBe(200);
    const body = pub.json();
    expect(body.status).toBe("notice");
    const kjj = body.units.find((u: { unit: string }) => u.unit === "kjj");
    expect(Object.keys(kjj).sort()).toEqual([
      "category",
      "categoryEn",
      "grade",
      "name",
      "nameEn",
      "titles",
      "unit",
    ]); // no scores, totals or ranks
    expect(kjj.category).toBe("经济发展部门");
  });

  it("a unit leader objects for their own unit only, during the notice", async () => {
    const r = await fgwLeader.request("POST", objectionsUrl(), {
      unit: "fgw",
      reason: "A1 重点任务实际完成 30 项，佐证已补交",
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(
      (await fgwLeader.request("POST", objectionsUrl(), { unit: "kjj", reason: "替别的单位提异议" }))
        .statusCode,
    ).toBe(403);
    expect(
      (await office.request("POST", objectionsUrl(), { unit: "fgw", reason: "office cannot object" }))
        .statusCode,
    ).toBe(403);
    await kjjLeader.request("POST", objectionsUrl(), { unit: "kjj", reason: "对党建评分有异议，请复核" });
    expect(
      (await kjjLeader.request("GET", objectionsUrl())).json().items.map((o: { unit: string }) => o.unit),
    ).toEqual(["kjj"]);
    expect((await office.request("GET", objectionsUrl())).json().items).toHaveLength(2);
  });

  it("an objection carries evidence files from its own unit, checked like any evidence", async () => {
    const fgw = (await fgwLeader.request("GET", objectionsUrl())).json().items[0];
    const evidenceUrl = `${objectionsUrl()}/${fgw.id}/evidence`;
    const pdf = Buffer.from("%PDF-1.4\n% 重点任务完成清单（盖章）\n%%EOF\n", "utf8");
    const added = await fgwLeader.send(
      "POST",
      `${evidenceUrl}?filename=${encodeURIComponent("任务清单.pdf")}`,
      pdf,
      "application/pdf",
    );
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({
      filename: "任务清单.pdf",
      contentType: "application/pdf",
      size: pdf.length,
      sha256: createHash("sha256").update(pdf).digest("hex"),
    });
    // Not a PDF at all, though declared as one; and another unit's leader.
    const fake = await fgwLeader.send(
      "POST",
      `${evidenceUrl}?filename=x.pdf`,
      Buffer.from("just text"),
      "application/pdf",
    );
    expect(fake.statusCode).toBe(415);
    expect(
      (await kjjLeader.send("POST", `${evidenceUrl}?filename=y.pdf`, pdf, "application/pdf")).statusCode,
    ).toBe(403);
    // The unit and the office see the file with the objection and can download it; another unit cannot.
    const listed = (await office.request("GET", `${objectionsUrl()}?unit=fgw`)).json().items[0];
    expect(listed.evidence).toEqual([added.json()]);
    const download = await fgwLeader.request("GET", `${evidenceUrl}/${added.json().id}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(pdf)).toBe(true);
    expect((await office.request("GET", `${evidenceUrl}/${added.json().id}`)).statusCode).toBe(200);
    expect((await kjjLeader.request("GET", `${evidenceUrl}/${added.json().id}`)).statusCode).toBe(403);
  });

  it("results cannot be final while the notice runs or objections are open", async () => {
    const early = await office.request(
      "POST",
      `/api/v1/plans/${planId}/publications/${publicationId}/finalise`,
    );
    expect(early.json().code).toBe("NOTICE_RUNNING");
    clock = Date.parse("2023-02-07T00:00:00Z");
    expect(
      (await fgwLeader.request("POST", objectionsUrl(), { unit: "fgw", reason: "公示期结束后的异议" })).json()
        .code,
    ).toBe("NOTICE_CLOSED");
    const fgw = (await fgwLeader.request("GET", objectionsUrl())).json().items[0];
    const late = await fgwLeader.send(
      "POST",
      `${objectionsUrl()}/${fgw.id}/evidence?filename=late.pdf`,
      Buffer.from("%PDF-1.4\n%%EOF\n"),
      "application/pdf",
    );
    expect(late.json().code).toBe("NOTICE_CLOSED");
    const open = await office.request(
      "POST",
      `/api/v1/plans/${planId}/publications/${publicationId}/finalise`,
    );
    expect(open.json()).toMatchObject({ code: "OPEN_OBJECTIONS", title: "还有 2 条异议未处理" });
  });

  it("the office resolves each objection with a reason, then finalises", async () => {
    const items = (await office.request("GET", objectionsUrl())).json().items as {
      id: string;
      unit: string;
    }[];
    for (const o of items) {
      const decision = o.unit === "fgw" ? "accepted" : "rejected";
      const r = await office.request("POST", `${objectionsUrl()}/${o.id}/resolve`, {
        decision,
        resolution: decision === "accepted" ? "经核实予以更正" : "评分程序符合规定，维持原结果",
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ status: decision, unlocked: [] });
    }
    expect(
      (
        await office.request("POST", `${objectionsUrl()}/${items[0]!.id}/resolve`, {
          decision: "rejected",
          resolution: "again",
        })
      ).json().code,
    ).toBe("ALREADY_RESOLVED");
    const kjjView = (await kjjLeader.request("GET", objectionsUrl())).json().items[0];
    expect(kjjView).toMatchObject({ status: "rejected", resolution: "评分程序符合规定，维持原结果" });
    expect(
      (await office.request("POST", `/api/v1/plans/${planId}/publications/${publicationId}/finalise`))
        .statusCode,
    ).toBe(204);
    expect(
      (await app.inject({ method: "GET", url: `/api/v1/public/plans/${planId}/results` })).json().status,
    ).toBe("final");
  });
});
