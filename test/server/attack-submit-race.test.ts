import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../src/server/modules/audit/service.js";
import type { Client } from "../helpers/accounts.js";
import { examplePlan } from "../helpers/example-plan.js";
import { type TestApp, testApp } from "../helpers/test-app.js";

/**
 * Withdrawing an evidence file while the unit leader submits (fired at once; on PostgreSQL the two run
 * side by side): the submission sees the file or refuses, never sends a value without the file its
 * indicator requires (A1 requires one).
 */

let t: TestApp;
let office: Client;
let reporter: Client;
let leader: Client;
let planId = "";
const PDF = Buffer.from("%PDF-1.4\n%%EOF\n");

beforeAll(async () => {
  t = await testApp({ units: true });
  office = await t.signIn("office", ["office_staff"]);
  reporter = await t.signIn("kjj.reporter", ["unit_reporter"], "kjj");
  leader = await t.signIn("kjj.leader", ["unit_leader"], "kjj");
  planId = (await t.publish(office, examplePlan(), false)).planId;
});
afterAll(() => t.close());

const unit = () => `/api/v1/plans/${planId}/units/kjj`;

describe("deleting evidence vs submitting", () => {
  it("a submission racing the withdrawal of the only file never submits the value without it", async () => {
    for (let round = 0; round < 8; round++) {
      const saved = await reporter.request("PUT", `${unit()}/values`, {
        indicator: "A1",
        period: "2022",
        value: 90 + round,
      });
      expect(saved.statusCode, saved.body).toBe(200);
      const file = await reporter.send(
        "POST",
        `${unit()}/evidence?indicator=A1&period=2022&filename=清单.pdf`,
        PDF,
        "application/pdf",
      );
      expect(file.statusCode, file.body).toBe(201);
      const [deleted, submitted] = await Promise.all([
        reporter.request("DELETE", `${unit()}/evidence/${file.json().id}`),
        leader.request("POST", `${unit()}/submit`),
      ]);
      const files = (await reporter.request("GET", `${unit()}/evidence?indicator=A1`)).json().total;
      const [value] = (await reporter.request("GET", `${unit()}/values`)).json().items;
      if (submitted.statusCode === 200) {
        // Submitted first: the file stays (its value is under review), and the delete is refused.
        expect(deleted.statusCode, `round ${round}`).toBe(409);
        expect(value.status).toBe("submitted");
        expect(files, `round ${round}: submitted without its file`).toBe(1);
        const back = await office.request("POST", `${unit()}/review`, {
          indicator: "A1",
          period: "2022",
          decision: "return",
          reason: "再来一轮",
        });
        expect(back.statusCode, back.body).toBe(204);
      } else {
        expect(submitted.json(), `round ${round}`).toMatchObject({ status: 409, code: "EVIDENCE_MISSING" });
        expect(deleted.statusCode).toBe(204);
        expect(value.status).toBe("draft");
      }
      // Start the next round from nothing.
      const current = (await reporter.request("GET", `${unit()}/values`)).json().items[0];
      const withdrawn = await reporter.request(
        "DELETE",
        `${unit()}/values?indicator=A1&period=2022&revision=${current.revision}`,
      );
      expect(withdrawn.statusCode, withdrawn.body).toBe(204);
      for (const f of (await reporter.request("GET", `${unit()}/evidence`)).json().items)
        expect((await reporter.request("DELETE", `${unit()}/evidence/${f.id}`)).statusCode).toBe(204);
    }
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
