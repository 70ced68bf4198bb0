import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../helpers/accounts.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

let t: TestApp;
let office: Client;
let kjjLeader: Client;
let fgwLeader: Client;
let planId = "";
const pdf = Buffer.from("%PDF-1.4\n% 国家级科技进步奖证书\n%%EOF\n");

beforeAll(async () => {
  t = await testApp({ units: true });
  office = await t.signIn("office", ["office_staff"]);
  kjjLeader = await t.signIn("kjj.leader", ["unit_leader"], "kjj");
  fgwLeader = await t.signIn("fgw.leader", ["unit_leader"], "fgw");
  planId = (await t.publish(office)).planId;
});
afterAll(() => t.close());

const claims = () => `/api/v1/plans/${planId}/claims`;
const attach = (who: Client, id: string, body: Buffer, type = "application/pdf", name = "证书.pdf") =>
  who.send("POST", `${claims()}/${id}/evidence?filename=${encodeURIComponent(name)}`, body, type);

describe("evidence of bonus claims (证明材料)", () => {
  it("a unit attaches files to its own pending claim; the office decides with them in the list", async () => {
    const created = await kjjLeader.request("POST", `/api/v1/plans/${planId}/units/kjj/claims`, {
      item: "award",
      level: "国家级",
      ref: "国科奖字〔2022〕1号",
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json();
    expect(created.json().evidence).toEqual([]);

    const stored = await attach(kjjLeader, id, pdf);
    expect(stored.statusCode, stored.body).toBe(201);
    expect(stored.json()).toMatchObject({
      filename: "证书.pdf",
      contentType: "application/pdf",
      size: pdf.length,
    });
    // Checked like any evidence: by its content, not its name.
    expect((await attach(kjjLeader, id, Buffer.from("not a pdf"))).statusCode).toBe(415);
    // Another unit can neither add to nor read kjj's claim.
    expect((await attach(fgwLeader, id, pdf)).statusCode).toBe(403);
    const download = `${claims()}/${id}/evidence/${stored.json().id}`;
    expect((await fgwLeader.request("GET", download)).statusCode).toBe(403);
    const got = await office.request("GET", download);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(pdf)).toBe(true);
    expect(got.headers["content-disposition"]).toContain(encodeURIComponent("证书.pdf"));

    const listed = (await office.request("GET", `${claims()}?status=pending`)).json().items;
    expect(listed).toMatchObject([{ id, unit: "kjj", evidence: [{ filename: "证书.pdf" }] }]);
    expect((await fgwLeader.request("GET", claims())).json().items).toEqual([]);

    expect(
      (await office.request("POST", `${claims()}/${id}/decide`, { decision: "approved", reason: "证书齐全" }))
        .statusCode,
    ).toBe(204);
    // Decided: the unit's evidence is closed; the office may still file a document with it.
    expect((await attach(kjjLeader, id, pdf)).json().code).toBe("ALREADY_DECIDED");
    expect((await attach(office, id, pdf, "application/pdf", "批复.pdf")).statusCode).toBe(201);
    expect((await kjjLeader.request("GET", claims())).json().items[0].evidence).toHaveLength(2);
  });

  it("takes the file as a multipart form too, its name from the form", async () => {
    const { id } = (
      await kjjLeader.request("POST", `/api/v1/plans/${planId}/units/kjj/claims`, {
        item: "incentive",
        level: "省级",
      })
    ).json();
    const boundary = "----kaohe";
    const form = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="激励通报.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await kjjLeader.send(
      "POST",
      `${claims()}/${id}/evidence`,
      form,
      `multipart/form-data; boundary=${boundary}`,
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().filename).toBe("激励通报.pdf");
  });
});
