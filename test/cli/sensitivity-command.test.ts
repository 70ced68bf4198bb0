import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli as cli } from "../helpers/run-cli.js";

const examples = join(import.meta.dirname, "..", "..", "examples");
const plan = join(examples, "city-departments", "plan.json");
const data = join(examples, "city-departments", "values.csv");

describe("kaohe sensitivity", () => {
  const base = ["sensitivity", "--plan", plan, "--data", data, "--runs", "60", "--seed", "3"];

  it("worker threads give exactly the single-threaded result, and the seed makes it reproducible", async () => {
    const one = await cli([...base, "--workers", "1", "--format", "json"]);
    const two = await cli([...base, "--workers", "2", "--format", "json"]);
    expect(one.code).toBe(0);
    expect(two.out).toBe(one.out);
    const result = JSON.parse(one.out);
    expect(result.inputs).toEqual(["weights", "drop"]);
    expect(result.evaluations).toBe(60 * 4);
    const kjj = result.units.find((u: { unit: string }) => u.unit === "kjj");
    expect(kjj.nominalRank).toBe(1);
    expect(
      kjj.gradeProbability.优秀 +
        kjj.gradeProbability.良好 +
        kjj.gradeProbability.合格 +
        kjj.gradeProbability.不合格,
    ).toBeCloseTo(1, 12);
    const other = await cli([
      "sensitivity",
      "--plan",
      plan,
      "--data",
      data,
      "--runs",
      "60",
      "--seed",
      "4",
      "--format",
      "json",
    ]);
    expect(other.out).not.toBe(one.out);
  });

  it("csv output: a unit table, then the sensitivity indices", async () => {
    const r = await cli([...base, "--workers", "1"]);
    const [units, indices] = r.out.split("\n\n");
    expect(units!.split("\n")[0]).toBe(
      "unit,category,nominalRank,medianRank,p5Rank,p95Rank,nominalGrade,P(优秀),P(良好),P(合格),P(不合格)",
    );
    expect(indices!.split("\n").map((l) => l.split(",")[0])).toEqual(["input", "weights", "drop"]);
  });

  it("--no-indices runs plain replications", async () => {
    const r = await cli([...base, "--no-indices", "--workers", "1", "--format", "json"]);
    const result = JSON.parse(r.out);
    expect([result.design, result.evaluations, result.indices]).toEqual(["random", 60, []]);
  });

  it("weight noise per level of the tree", async () => {
    const flat = await cli([...base, "--weights", "0.2", "--workers", "1", "--format", "json"]);
    const perLevel = await cli([...base, "--weights", "0,0.4", "--workers", "1", "--format", "json"]);
    expect(perLevel.code).toBe(0);
    expect(perLevel.out).not.toBe(flat.out);
    const none = JSON.parse(
      (await cli([...base, "--weights", "0", "--workers", "1", "--format", "json"])).out,
    );
    expect(none.inputs).toEqual(["drop"]);
  });

  it("rejects bad options", async () => {
    expect((await cli([...base, "--runs", "x"])).code).toBe(2);
    expect((await cli([...base, "--weights", "2"])).code).toBe(2);
    expect((await cli([...base, "--weights", "0.1,x"])).code).toBe(2);
    expect((await cli([...base, "--aggregation", "median"])).code).toBe(2);
  });

  it("shows no progress bar when its output is piped", () => {
    const bin = join(import.meta.dirname, "..", "..", "bin", "kaohe.js");
    const r = spawnSync(process.execPath, [bin, ...base.slice(0, 6), "20", "--workers", "2"], {
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
  });
});
