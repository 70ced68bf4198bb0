import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { runCli } from "../helpers/run-cli.js";

const iMeta = `Level,iCode,iName,Direction,Weight,Parent,Type,Target,Denominator
1,x,X,1,1,P,Indicator,10,
1,y,Y,-1,2,P,Indicator,,
1,z,Z,1,1,Q,Indicator,,pop
2,P,Pillar P,1,1,I,Aggregate,,
2,Q,Pillar Q,1,1,I,Aggregate,,
3,I,Index,1,1,,Aggregate,,
,region_group,Region,,,,Group,,
,pop,Population,,,,Denominator,,
`;
const iData = `uCode,uName,region_group,pop,x,y,z
B,Bravo,north,20,4,5,40
A,Alpha,north,10,2,1,30
C,Charlie,south,5,8,,10
D,Delta,south,40,,3,80
`;
const spec = {
  steps: [
    { step: "denominate" },
    { step: "impute", method: "mean_group", group: "region_group" },
    { step: "normalise", method: "minmax", range: [0, 100] },
    { step: "aggregate", methods: ["amean"] },
  ],
};

/** Removes the k-th (0-based) column of a simple CSV text. */
const dropColumn = (csv: string, k: number) =>
  csv.replace(/^.*$/gm, (line) =>
    line === ""
      ? line
      : line
          .split(",")
          .filter((_, i) => i !== k)
          .join(","),
  );

let dir = "";
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function setup(files: { iData?: string; iMeta?: string; spec?: unknown } = {}) {
  dir = mkdtempSync(join(tmpdir(), "kaohe-cli-"));
  writeFileSync(join(dir, "iData.csv"), files.iData ?? iData);
  writeFileSync(join(dir, "iMeta.csv"), files.iMeta ?? iMeta);
  const s = files.spec ?? spec;
  writeFileSync(join(dir, "spec.json"), typeof s === "string" ? s : JSON.stringify(s));
  return dir;
}

const coinArgs = (d: string, extra: string[] = []) => [
  "coin",
  "--idata",
  join(d, "iData.csv"),
  "--imeta",
  join(d, "iMeta.csv"),
  "--spec",
  join(d, "spec.json"),
  "--out",
  join(d, "out"),
  ...extra,
];

describe("kaohe coin", () => {
  it("writes one CSV per dataset plus ranks, rows sorted by uCode", async () => {
    const d = setup();
    const r = await runCli(coinArgs(d));
    expect(r.code).toBe(0);
    const files = readdirSync(join(d, "out"));
    for (const f of [
      "Raw.csv",
      "Denominated.csv",
      "Imputed.csv",
      "Normalised.csv",
      "Aggregated.csv",
      "ranks.csv",
      "log.json",
    ]) {
      expect(files).toContain(f);
    }
    const raw = readFileSync(join(d, "out", "Raw.csv"), "utf8")
      .trim()
      .split("\n");
    expect(raw).toEqual(["uCode,x,y,z", "A,2,1,30", "B,4,5,40", "C,8,,10", "D,,3,80"]);
    const denominated = readFileSync(join(d, "out", "Denominated.csv"), "utf8")
      .trim()
      .split("\n");
    expect(denominated[1]).toBe("A,2,1,3");
    const ranks = readFileSync(join(d, "out", "ranks.csv"), "utf8")
      .trim()
      .split("\n");
    expect(ranks[0]).toBe("uCode,x,y,z,P,Q,I");
    const log = JSON.parse(readFileSync(join(d, "out", "log.json"), "utf8"));
    expect(log.engineVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(log.inputs["iData.csv"].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(log.steps.map((s: { output: string }) => s.output)).toEqual([
      "Denominated",
      "Imputed",
      "Normalised",
      "Aggregated",
    ]);
  });

  it("a worker thread writing datasets (large data) writes the same bytes as this thread alone", async () => {
    const d = setup();
    const files = (out: string) =>
      readdirSync(join(d, out))
        .sort()
        .map((f) => [f, readFileSync(join(d, out, f), "utf8")]);
    const run = (out: string, cells: string) =>
      main(
        [...coinArgs(d).slice(0, -1), join(d, out), "--stats"],
        { KAOHE_LANG: "en", KAOHE_COIN_WORKER_CELLS: cells },
        () => {},
        () => {},
      );
    expect(await run("alone", "1e12")).toBe(0);
    expect(await run("worker", "0")).toBe(0);
    expect(files("worker")).toEqual(files("alone"));
    expect(files("alone").length).toBeGreaterThan(8);
  });

  it("a group column whose name holds a path writes nothing, neither in --out nor beside it", async () => {
    // ranks_by_<group>.csv: a name like a/../../evil_group would land outside the output folder.
    const d = setup({
      iData: iData.replace("region_group", "a/../../evil_group"),
      spec: { steps: [spec.steps[2], spec.steps[3]] },
    });
    const r = await runCli(coinArgs(d));
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("ranks_by_a/../../evil_group.csv");
    expect(readdirSync(d).sort()).toEqual(["iData.csv", "iMeta.csv", "spec.json"]);
  });

  it("statistics and correlations only with --stats", async () => {
    const d = setup();
    expect((await runCli(coinArgs(d))).code).toBe(0);
    let files = readdirSync(join(d, "out"));
    expect(files).not.toContain("stats_Raw.csv");
    expect(files).not.toContain("correlations.csv");
    expect(files).toContain("effective_weights.csv");
    expect((await runCli(coinArgs(d, ["--stats"]))).code).toBe(0);
    files = readdirSync(join(d, "out"));
    expect(files).toContain("stats_Raw.csv");
    expect(files).toContain("correlations.csv");
    const stats = readFileSync(join(d, "out", "stats_Raw.csv"), "utf8").split("\n");
    expect(stats[0]).toMatch(/^iCode,Min,Max,Mean,Median,/);
    expect(stats[1]).toMatch(/^x,2,8,/);
    const corr = readFileSync(join(d, "out", "correlations.csv"), "utf8").split("\n");
    expect(corr[0]).toBe("Parent,iCode,Pearson,Spearman");
  });

  it("ranks within each group column, and the tie method is selectable", async () => {
    const d = setup({ spec: { steps: [] } });
    expect((await runCli(coinArgs(d, ["--ties", "dense"]))).code).toBe(0);
    const byRegion = readFileSync(join(d, "out", "ranks_by_region_group.csv"), "utf8")
      .trim()
      .split("\n");
    // Raw values, highest = 1, within north (A, B) and south (C, D); D has no x, C no y
    expect(byRegion).toEqual(["uCode,x,y,z", "A,2,2,2", "B,1,1,1", "C,1,,2", "D,,1,1"]);
    expect((await runCli(coinArgs(d, ["--ties", "nope"]))).code).toBe(2);
  });

  it("a denominator table named in the spec (COINr's WorldDenoms style)", async () => {
    const d = setup({
      spec: { steps: [{ step: "denominate", denoms: "denoms.csv", by: { x: "GDP" }, scaleFactor: 10 }] },
    });
    writeFileSync(
      join(d, "denoms.csv"),
      "uName,uCode,GDP,Income_Group\nA,A,4,High\nB,B,8,Low\nC,C,16,Low\nD,D,1,High\n",
    );
    expect((await runCli(coinArgs(d))).code).toBe(0);
    const lines = readFileSync(join(d, "out", "Denominated.csv"), "utf8")
      .trim()
      .split("\n");
    // x / (GDP / 10): A 2/0.4 = 5, B 4/0.8 = 5, C 8/1.6 = 5; y and z untouched
    expect(lines.slice(1, 4)).toEqual(["A,5,1,30", "B,5,5,40", "C,5,,10"]);
    writeFileSync(join(d, "denoms.csv"), "uCode,GDP\nA,4\n");
    const r = await runCli(coinArgs(d));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unit B has no row in the denominator data/);
  });

  it("--format json with --out writes coin.json", async () => {
    const d = setup();
    expect((await runCli(coinArgs(d, ["--format", "json"]))).code).toBe(0);
    expect(readdirSync(join(d, "out"))).toEqual(["coin.json"]);
    const doc = JSON.parse(readFileSync(join(d, "out", "coin.json"), "utf8"));
    expect(Object.keys(doc.groupRanks)).toEqual(["region_group"]);
  });

  it("the same inputs give the same bytes", async () => {
    const d = setup();
    await runCli(coinArgs(d));
    const first = readFileSync(join(d, "out", "Aggregated.csv"));
    await runCli(coinArgs(d));
    expect(readFileSync(join(d, "out", "Aggregated.csv")).equals(first)).toBe(true);
  });

  it("--format json prints every dataset, with null for missing", async () => {
    const d = setup();
    const args = coinArgs(d, ["--format", "json"]).filter(
      (a, i, all) => a !== "--out" && all[i - 1] !== "--out",
    );
    const r = await runCli(args);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc.datasets)).toEqual(["Raw", "Denominated", "Imputed", "Normalised", "Aggregated"]);
    const rawC = doc.datasets.Raw[0].rows.find((row: { uCode: string }) => row.uCode === "C");
    expect(rawC.values).toEqual([8, null, 10]);
    expect(doc.ranks[0].columns).toEqual(["x", "y", "z", "P", "Q", "I"]);
  });

  it("a weights CSV named in the spec is read relative to the spec", async () => {
    const d = setup({
      spec: {
        steps: [
          { step: "normalise", method: "minmax" },
          { step: "aggregate", methods: ["amean"], weights: "w.csv" },
        ],
      },
    });
    writeFileSync(join(d, "w.csv"), "iCode,Weight\nP,3\nQ,1\n");
    expect((await runCli(coinArgs(d))).code).toBe(0);
    const weighted = readFileSync(join(d, "out", "Aggregated.csv"), "utf8")
      .trim()
      .split("\n");
    const cols = weighted[0]!.split(",");
    for (const line of weighted.slice(1)) {
      const cells = line.split(",").map(Number);
      const [p, q, index] = ["P", "Q", "I"].map((c) => cells[cols.indexOf(c)] as number);
      expect(index).toBeCloseTo((3 * p! + q!) / 4, 12);
    }
  });

  const bad: [string, { iData?: string; iMeta?: string; spec?: unknown }, RegExp][] = [
    [
      "a missing indicator column",
      { iData: iData.replace(",z\n", "\n").replace(/,(\d+)\n/g, "\n") },
      /iData\.csv, row 1, column z: required column z is missing/,
    ],
    [
      "a missing iMeta column",
      { iMeta: dropColumn(iMeta, 5) },
      /iMeta\.csv, row 1, column Parent: required column Parent is missing/,
    ],
    [
      "an unknown parent",
      { iMeta: iMeta.replace("1,z,Z,1,1,Q", "1,z,Z,1,1,Nowhere") },
      /iMeta\.csv, row 4, column Parent: parent Nowhere of z does not exist/,
    ],
    [
      "a cycle in the tree",
      {
        iMeta: iMeta
          .replace("2,P,Pillar P,1,1,I", "2,P,Pillar P,1,1,Q")
          .replace("2,Q,Pillar Q,1,1,I", "2,Q,Pillar Q,1,1,P"),
      },
      /iMeta\.csv, row \d, column Parent: cycle in the tree: (P -> Q -> P|Q -> P -> Q)/,
    ],
    [
      "a duplicate iCode",
      { iMeta: `${iMeta}1,x,X again,1,1,P,Indicator,,\n` },
      /iMeta\.csv, row 10, column iCode: duplicate iCode x \(first on row 2\)/,
    ],
    [
      "a duplicate uCode",
      { iData: `${iData}A,Again,north,1,1,1,1\n` },
      /iData\.csv, row 6, column uCode: duplicate uCode A \(first on row 3\)/,
    ],
    [
      "a non-numeric cell",
      { iData: iData.replace("B,Bravo,north,20,4,5,40", "B,Bravo,north,20,4,five,40") },
      /iData\.csv, row 2, column y: "five" is not a number/,
    ],
    [
      "a bad direction",
      { iMeta: iMeta.replace("1,y,Y,-1,2", "1,y,Y,2,2") },
      /iMeta\.csv, row 3, column Direction/,
    ],
    [
      "a column iMeta does not declare",
      { iData: iData.replace("uCode,uName", "uCode,uName2") },
      /iData\.csv, row 1, column uName2: column uName2 is not declared in iMeta/,
    ],
    ["malformed CSV", { iData: `${iData}E,"Echo,north,1,1,1,1\n` }, /iData\.csv.*malformed CSV/],
    [
      "an unknown step",
      { spec: { steps: [{ step: "normalize", method: "minmax" }] } },
      /spec\.json: steps\[0\]\.step: unknown step "normalize"/,
    ],
    [
      "an unknown method",
      { spec: { steps: [{ step: "normalise", method: "minimax" }] } },
      /spec\.json: steps\[0\]\.method: "minimax" is invalid, expected one of .*"minmax"/,
    ],
    [
      "an unknown parameter",
      { spec: { steps: [{ step: "treat", winmx: 3 }] } },
      /spec\.json: steps\[0\]: unknown field\(s\) winmx/,
    ],
    ["invalid JSON", { spec: "{ steps: [" }, /spec\.json: invalid JSON/],
    [
      "an unknown group",
      { spec: { steps: [{ step: "impute", method: "mean_group", group: "nope" }] } },
      /step 1 \(impute\): group column nope does not exist/,
    ],
    [
      "a geometric mean over zeros",
      {
        spec: {
          steps: [
            { step: "normalise", method: "minmax" },
            { step: "aggregate", methods: ["gmean"] },
          ],
        },
      },
      /gmean cannot aggregate P: unit \w has non-positive \w = 0.*\[1, 100\]/,
    ],
  ];
  for (const [what, files, message] of bad) {
    it(`rejects ${what}, naming the place, and writes nothing`, async () => {
      const d = setup(files);
      const r = await runCli(coinArgs(d));
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(message);
      expect(existsSync(join(d, "out"))).toBe(false);
      expect(readdirSync(d).filter((f) => f.startsWith("out"))).toEqual([]);
    });
  }

  it("speaks Chinese by default", async () => {
    const d = setup({ iData: iData.replace("B,Bravo,north,20,4,5,40", "B,Bravo,north,20,4,five,40") });
    const r = await runCli(coinArgs(d), "");
    expect(r.err).toBe("iData.csv 第 2 行 y 列：“five”不是数字");
  });

  it("usage errors exit 2", async () => {
    expect((await runCli(["coin", "--idata", "x.csv"])).code).toBe(2);
    expect((await runCli(["coin", "--bogus"])).code).toBe(2);
    expect((await runCli(["nope"])).code).toBe(2);
  });

  it("the installed bin prints help with every subcommand", async () => {
    const bin = join(import.meta.dirname, "..", "..", "bin", "kaohe.js");
    const r = spawnSync(process.execPath, [bin, "--help", "--lang", "en"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("kaohe coin --idata iData.csv --imeta iMeta.csv --spec spec.json --out DIR");
    const zh = spawnSync(process.execPath, [bin, "coin", "--help"], {
      encoding: "utf8",
      env: { ...process.env, KAOHE_LANG: "zh-CN" },
    });
    expect(zh.stdout).toContain("用法：kaohe coin");
  });
});
