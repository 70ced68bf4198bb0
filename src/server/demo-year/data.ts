import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { type DataRow, type Plan, planSchema } from "../../engine/index.js";
import { projectRoot } from "../db/client.js";

/*
 * The demo year's data files (examples/demo-2022/, its README says what they hold): the city's
 * organisations, the 2021 目标责任制 plan with its values (make-2021.mjs writes them), the two 2022 plans
 * with theirs and the 2023 plan open for entry. Read here once
 * for the seed (seed.ts) and for the tests that score them.
 */

export const DEMO_DIR = join(projectRoot(), "examples", "demo-2022");

export interface DemoOrganisation {
  code: string;
  name: string;
  nameEn: string;
  kind: "city" | "district" | "department" | "office";
}

/** One plan of the demo year with its rows (values, marks by 评委N, bonus/penalty/veto items). */
export interface DemoPlan {
  plan: Plan;
  rows: DataRow[];
}

export interface DemoYear {
  organisations: DemoOrganisation[];
  /** 2021年度目标责任制考核: the year before `work`, finished (the history its trends read). */
  prior: DemoPlan;
  /** 2022年度目标责任制考核 (municipal departments). */
  work: DemoPlan;
  /** 2022年度人才工作目标责任制考核 (districts and departments with talent duties). */
  talent: DemoPlan;
  /** The 2023 plan, published with no values: open for data entry. */
  next: Plan;
}

const csv = (file: string) =>
  parseCsv(readFileSync(join(DEMO_DIR, file)), {
    bom: true,
    columns: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];

const planOf = (file: string): Plan =>
  planSchema.parse(JSON.parse(readFileSync(join(DEMO_DIR, file), "utf8")));

const rowsOf = (file: string): DataRow[] =>
  csv(file).map((r, i) => ({
    unit: r.unit!,
    indicator: r.indicator!,
    period: r.period!,
    value: Number(r.value),
    ...(r.source ? { source: r.source } : {}),
    ...(r.level ? { level: r.level } : {}),
    ...(r.ref ? { ref: r.ref } : {}),
    ...(r.reviewer ? { reviewer: r.reviewer } : {}),
    row: i + 2,
  }));

/** Reads the demo year's files. */
export function readDemoYear(): DemoYear {
  return {
    organisations: csv("organisations.csv").map((r) => ({
      code: r.code!,
      name: r.name!,
      nameEn: r.nameEn!,
      kind: r.kind as DemoOrganisation["kind"],
    })),
    prior: { plan: planOf("plan-2021.json"), rows: rowsOf("values-2021.csv") },
    work: { plan: planOf("plan-2022.json"), rows: rowsOf("values-2022.csv") },
    talent: { plan: planOf("plan-talent-2022.json"), rows: rowsOf("values-talent-2022.csv") },
    next: planOf("plan-2023.json"),
  };
}
