import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultEvidence } from "../../src/server/config.js";
import { auditLog } from "../../src/server/db/schema/index.js";
import { detectType } from "../../src/server/modules/evidence/detect.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

let t: TestApp;
let app: FastifyInstance;
let kjj: Client;
let fgw: Client;
let reviewer: Client;
let planId = "";
const PDF = "application/pdf";

beforeAll(async () => {
  const plan = examplePlan();
  // A small limit, so the size check is easy to reach.
  t = await testApp({ evidence: { ...defaultEvidence, maxBytes: 1024 }, units: plan });
  ({ app } = t);
  const office = await t.signIn("office", ["office_staff"]);
  kjj = await t.signIn("kjj.reporter", ["unit_reporter"], "kjj");
  fgw = await t.signIn("fgw.reporter", ["unit_reporter"], "fgw");
  reviewer = await t.signIn("reviewer", ["reviewer"]);
  planId = (await t.publish(office, plan, false)).planId;
});
afterAll(() => t.close());

const url = (unit: string, query = "?indicator=A1&period=2022&filename=任务清单.pdf") =>
  `/api/v1/plans/${planId}/units/${unit}/evidence${query}`;

describe("evidence files (佐证材料)", () => {
  it("recognises files by their bytes, not their names", () => {
    expect(detectType(Buffer.from("%PDF-1.7 ..."))).toBe("pdf");
    expect(detectType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe("png");
    expect(detectType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("jpeg");
    expect(
      detectType(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("....xl/workbook.xml")])),
    ).toBe("xlsx");
    expect(detectType(Buffer.from("MZ\x90\x00 executable"))).toBeNull();
  });

  let id = "";
  const content = Buffer.from("%PDF-1.4\n% 2022 年度重点工作任务清单\n%%EOF\n");

  it("stores a file with its SHA-256 and size, and gives the same bytes back", async () => {
    const r = await kjj.send("POST", url("kjj"), content, PDF);
    expect(r.statusCode, r.body).toBe(201);
    const stored = r.json();
    expect(stored).toMatchObject({
      indicator: "A1",
      period: "2022",
      filename: "任务清单.pdf",
      contentType: PDF,
      size: content.length,
    });
    expect(stored.sha256).toBe(createHash("sha256").update(content).digest("hex"));
    id = stored.id;
    const back = await reviewer.request("GET", url("kjj", `/${id}`));
    expect(back.statusCode).toBe(200);
    expect(back.rawPayload.equals(content)).toBe(true);
    expect(back.headers["x-content-sha256"]).toBe(stored.sha256);
    expect((await kjj.request("GET", url("kjj", ""))).json().items).toHaveLength(1);
    expect(back.headers["content-disposition"]).toMatch(/^attachment;/);
  });

  it("previews a PDF or image inline for the app's own pages (framed by them only, running nothing)", async () => {
    const inline = await reviewer.request("GET", url("kjj", `/${id}?inline=true`));
    expect(inline.statusCode).toBe(200);
    expect(inline.rawPayload.equals(content)).toBe(true);
    expect(inline.headers["content-disposition"]).toMatch(/^inline; filename\*=UTF-8''/);
    const csp = String(inline.headers["content-security-policy"]);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect((await reviewer.request("GET", url("kjj", `/${id}?inline=yes`))).statusCode).toBe(400);
    // Another unit's file stays out of reach, inline or not.
    expect((await fgw.request("GET", url("kjj", `/${id}?inline=true`))).statusCode).toBe(403);
  });

  it("tells the unit's people the limits the upload checks, and shows PDFs and images inline in its own page only", async () => {
    const limits = await kjj.request("GET", url("kjj", "/limits"));
    expect(limits.statusCode, limits.body).toBe(200);
    expect(limits.json().maxBytes).toBe(1024);
    expect(limits.json().types).toContainEqual({ kind: "pdf", contentType: PDF });
    expect(limits.json().types).toHaveLength(defaultEvidence.types.length);
    expect((await fgw.request("GET", url("kjj", "/limits"))).statusCode).toBe(403);
    // A preview: inline, and only kaohe's own pages may frame it; a download stays an attachment, unframeable.
    const inline = await kjj.request("GET", url("kjj", `/${id}?inline=true`));
    expect(inline.statusCode).toBe(200);
    expect(inline.headers["content-disposition"]).toMatch(/^inline; /);
    expect(inline.headers["content-security-policy"]).toContain("frame-ancestors 'self'");
    expect(inline.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(inline.headers["x-content-type-options"]).toBe("nosniff");
    const download = await kjj.request("GET", url("kjj", `/${id}`));
    expect(download.headers["content-disposition"]).toMatch(/^attachment; /);
    expect(download.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  });

  it("refuses a file whose content does not match its declared type, an unknown type, an empty or oversized file", async () => {
    const fake = await kjj.send("POST", url("kjj"), Buffer.from("MZ\x90\x00 not really a pdf"), PDF);
    expect(fake.statusCode).toBe(415);
    expect(fake.json().code).toBe("FILE_TYPE");
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const mismatch = await kjj.send("POST", url("kjj"), png, PDF);
    expect(mismatch.json()).toMatchObject({
      code: "FILE_TYPE_MISMATCH",
      title: "文件内容是 png，与声明的类型 application/pdf 不符",
    });
    expect((await kjj.send("POST", url("kjj"), Buffer.alloc(0), PDF)).statusCode).toBe(400);
    const big = await kjj.send(
      "POST",
      url("kjj"),
      Buffer.concat([Buffer.from("%PDF-"), Buffer.alloc(1100)]),
      PDF,
    );
    expect(big.statusCode).toBe(413);
  });

  it("is scoped to the unit: other units can neither see nor add files", async () => {
    expect((await fgw.request("GET", url("kjj", ""))).statusCode).toBe(403);
    expect((await fgw.request("GET", url("kjj", `/${id}`))).statusCode).toBe(403);
    expect((await fgw.send("POST", url("kjj"), content, PDF)).statusCode).toBe(403);
    expect((await fgw.request("GET", url("fgw", `/${id}`))).statusCode).toBe(404);
    expect((await app.inject({ method: "GET", url: url("kjj", "") })).statusCode).toBe(401);
  });

  it("stores a file sent again (a retry whose reply was lost) once, even two tries at once; another name is another file", async () => {
    const retried = Buffer.from("%PDF-1.4\n% 重试的上传\n%%EOF\n");
    const sha256 = createHash("sha256").update(retried).digest("hex");
    const q = (name: string) => url("kjj", `?indicator=A1&period=2022&filename=${encodeURIComponent(name)}`);
    const tries = await Promise.all([
      kjj.send("POST", q("重试.pdf"), retried, PDF),
      kjj.send("POST", q("重试.pdf"), retried, PDF),
    ]);
    const again = await kjj.send("POST", q("重试.pdf"), retried, PDF);
    for (const r of [...tries, again]) expect(r.statusCode, r.body).toBe(201);
    const first = tries[0]!.json().id;
    expect(tries[1]!.json().id).toBe(first);
    expect(again.json().id).toBe(first);
    const audited = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "evidence.add"), eq(auditLog.entityId, first)));
    expect(audited).toHaveLength(1);
    const renamed = await kjj.send("POST", q("重试（二）.pdf"), retried, PDF);
    expect(renamed.json().id).not.toBe(first);
    const items = (await kjj.request("GET", url("kjj", ""))).json().items as {
      sha256: string;
      filename: string;
    }[];
    expect(
      items
        .filter((e) => e.sha256 === sha256)
        .map((e) => e.filename)
        .sort(),
    ).toEqual(["重试.pdf", "重试（二）.pdf"].sort());
  });
});
