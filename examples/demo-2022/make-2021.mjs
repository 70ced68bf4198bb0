// Writes the demo's 2021 year (plan-2021.json, values-2021.csv) from the 2022 files beside it, so that
// the results page's 历年趋势 and 进位 charts have a year before 2022 (issue 11). Deterministic: run it
// again and the files come out the same (`node examples/demo-2022/make-2021.mjs`, then
// `npx biome check --write examples/demo-2022/plan-2021.json` for the repository's JSON layout).
//
// The plan is the 2022 plan for 2021 (period 2020 before it), its key-task targets two fewer (as the
// 2023 plan's are two more). Every value is invented (示例数据) by moving the unit's 2022 value by a
// fixed pseudo-random amount drawn from the unit and indicator, so that the 2021 ranks differ from
// 2022's. 市科技局's 2021 is set by hand: a middling year (良好, not 优秀), its provincial rank of R&D/GDP
// 5th (the seed's F01 previous rank, as in the 2022 data's history rows), so that "2022 rose" is true.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = dirname(fileURLToPath(import.meta.url));
const plan2022 = JSON.parse(readFileSync(join(dir, "plan-2022.json"), "utf8"));

const plan = {
  ...plan2022,
  id: "demo-2021-work",
  name: "2021年度目标责任制考核方案（示例）",
  nameEn: "2021 target-responsibility assessment (example)",
  period: { key: "2021", previous: "2020" },
  targets: Object.fromEntries(
    Object.entries(plan2022.targets).map(([indicator, byUnit]) => [
      indicator,
      Object.fromEntries(Object.entries(byUnit).map(([unit, t]) => [unit, t - 2])),
    ]),
  ),
};
writeFileSync(join(dir, "plan-2021.json"), `${JSON.stringify(plan, null, 2)}\n`);

const HEADER = "unit,indicator,period,value,source,level,ref,reviewer";
const lines = readFileSync(join(dir, "values-2022.csv"), "utf8").trim().split("\n");
if (lines[0] !== HEADER) throw new Error("make-2021: values-2022.csv has an unexpected header");
const rows2022 = lines.slice(1).map((l) => {
  const [unit, indicator, period, value, source, level, ref, reviewer] = l.split(",");
  return { unit, indicator, period, value: Number(value), source, level, ref, reviewer };
});

/** A number in [0, 1) fixed by its key. */
const draw = (key) => createHash("sha256").update(key).digest().readUInt32BE(0) / 2 ** 32;
const round = (v, decimals) => Number(v.toFixed(decimals));
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** 市科技局's 2021 (the year before its 优秀): fewer key tasks done, lower ratings. */
const KJJ = {
  A1: 15,
  A2: 82.5,
  B2: 1,
  B3: 90.2,
  C1: 84.6,
  C2: 83.9,
  B1: { 评委1: 8.4, 评委2: 8.6, 评委3: 8.2, 评委4: 8.7, 评委5: 8.5 },
};

const out = [];
const row = (unit, indicator, value, source = "示例数据", reviewer = "", level = "", ref = "") =>
  out.push([unit, indicator, "2021", value, source, level, ref, reviewer].join(","));

for (const r of rows2022) {
  if (r.period !== "2022") continue;
  const key = `${r.unit}/${r.indicator}/${r.reviewer ?? ""}`;
  const d = draw(key);
  if (r.unit === "kjj") {
    if (r.indicator === "B1") row("kjj", "B1", KJJ.B1[r.reviewer], "示例数据", r.reviewer);
    else if (r.indicator in KJJ) row("kjj", r.indicator, KJJ[r.indicator]);
    continue;
  }
  switch (r.indicator) {
    case "A1": {
      // Completion of the 2021 target: the unit's 2022 share moved by up to ±15 points, at most 100%.
      const target = plan.targets.A1[r.unit];
      const share = clamp(r.value / (target + 2) + (d - 0.5) * 0.3, 0.7, 1);
      row(r.unit, "A1", Math.round(target * share));
      break;
    }
    case "A2":
    case "B3":
    case "C1":
    case "C2":
      row(r.unit, r.indicator, round(clamp(r.value + (d - 0.6) * 10, 60, 100), 1));
      break;
    case "B1":
      row(r.unit, "B1", round(clamp(r.value + (d - 0.6) * 1.2, 6, 10), 1), "示例数据", r.reviewer);
      break;
    case "B2":
      row(r.unit, "B2", 1);
      break;
    // 2022's bonus, penalty and veto items are 2022's: 2021 has its own below.
  }
}

// 市科技局's provincial indicators for 2021: those the files already hold for 2021 (A3–A5, the rows of
// the 2022 data for its previous periods), with the earlier years the 进位 rule and the bulletin read.
// The seed gives no 2021 value of A7 and A9 nor a rank of A6, A8 and A10: those cells stay empty.
for (const r of rows2022)
  if (r.unit === "kjj" && ["A3", "A4", "A5"].includes(r.indicator) && r.period <= "2021")
    out.push([r.unit, r.indicator, r.period, r.value, r.source, "", "", ""].join(","));

// 2021's items (invented): commendations, lapses, no veto.
row("gaj", "award", 1, "示例数据", "", "省级", "示例：省级表彰");
row("wjw", "award", 1, "示例数据", "", "市级", "示例：市级表彰");
row("jtj", "lapse", 1, "示例数据", "", "", "示例：通报");
row("scjg", "lapse", 1, "示例数据", "", "", "示例：通报");

writeFileSync(join(dir, "values-2021.csv"), `${[HEADER, ...out].join("\n")}\n`);
