import { BulletinInputError } from "./check-input.js";
import type {
  AssessmentResult,
  Bilingual,
  BulletinInput,
  IndicatorGroup,
  IndicatorKind,
  IndicatorResult,
} from "./types.js";

/*
 * A bulletin's input from tables, as `kaohe bulletin --data` reads them (docs/bulletins.md): the facts
 * table in the seed's facts.csv layout, earlier years' ranks, and what the tables do not hold (the
 * unit's name, the date, the source, the groups' Chinese titles, the grades' English names and the
 * measure words of counts). Pure: the caller parses the files.
 */

/** A row of the facts table (facts.csv): every column as text. */
export type FactRow = Record<string, string>;

export interface BulletinMeta {
  unit: Bilingual;
  year: number;
  date: string;
  source: Bilingual;
  rankScope?: Bilingual;
  /** Section number → the group's title ("1" → 全域创新体系建设 / innovation system). */
  groups: Record<string, Bilingual>;
  /** Grade as the table writes it → its English name and whether it is announced (优秀单位). */
  grades: Record<string, { en: string; commendable: boolean }>;
  /** Unit column → its words in each language ("count" → 项 / ""); "%" needs none. */
  units?: Record<string, Bilingual>;
  /** An indicator's own unit where the table's is too general: F09 (laboratories) → 家, not 项. */
  indicatorUnits?: Record<string, Bilingual>;
}

const KINDS = new Set<IndicatorKind>([
  "ratio",
  "growth",
  "count",
  "amount",
  "bonus",
  "milestone",
  "rank_change",
]);
const DEFAULT_UNITS: Record<string, Bilingual> = {
  "%": { "zh-CN": "%", en: "%" },
  "yes/no": { "zh-CN": "", en: "" },
  count: { "zh-CN": "项", en: "" },
  persons: { "zh-CN": "人", en: "persons" },
  places: { "zh-CN": "位", en: "places" },
  "100 million yuan": { "zh-CN": "亿元", en: "100 million yuan" },
};

type Table = "facts" | "history";

const fail = (table: Table, row: number, column: string, zh: string, en: string): never => {
  throw new BulletinInputError(
    { "zh-CN": `第 ${row} 行 ${column} 列：${zh}`, en: `row ${row}, column ${column}: ${en}` },
    table,
  );
};

function number(table: Table, row: FactRow, line: number, column: string): number | undefined {
  const text = (row[column] ?? "").trim();
  if (text === "") return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) fail(table, line, column, `“${text}”不是数字`, `"${text}" is not a number`);
  return n;
}

const FIRST_TIME = /\s*\(first time\)\s*$/i;

/**
 * The bulletin input of one unit. Facts rows: section "result" rows are grades (value = the grade),
 * "headline" rows the key indicators, "N name" rows indicator group N; previous_rank is the year
 * before's rank, and `history` (id, year, rank) gives earlier years. Row numbers in errors count the
 * header as row 1.
 */
export function bulletinInputFromTables(
  facts: readonly FactRow[],
  history: readonly FactRow[],
  meta: BulletinMeta,
): BulletinInput {
  const units = { ...DEFAULT_UNITS, ...meta.units };
  const results: AssessmentResult[] = [];
  const groups = new Map<string, IndicatorGroup>();
  const indicators: IndicatorResult[] = [];
  const pastRanks = new Map<string, { year: number; rank: number }[]>();
  history.forEach((h, i) => {
    const id = (h.id ?? "").trim();
    const year = number("history", h, i + 2, "year");
    const rank = number("history", h, i + 2, "rank");
    if (year === undefined || rank === undefined)
      fail("history", i + 2, year === undefined ? "year" : "rank", "缺少数值", "missing");
    pastRanks.set(id, [...(pastRanks.get(id) ?? []), { year: year as number, rank: rank as number }]);
  });
  facts.forEach((row, i) => {
    const line = i + 2;
    const id = (row.id ?? "").trim();
    const section = (row.section ?? "").trim();
    const name = { "zh-CN": row.indicator_zh ?? "", en: (row.indicator_en ?? "").replace(FIRST_TIME, "") };
    if (section === "result") {
      const grade = meta.grades[row.value ?? ""];
      if (!grade)
        fail(
          "facts",
          line,
          "value",
          `等次“${row.value}”未在说明文件中定义`,
          `grade "${row.value}" is not in the meta file`,
        );
      results.push({
        id,
        assessment: { "zh-CN": name["zh-CN"], en: name.en.replace(/:\s*result$/i, "") },
        grade: { "zh-CN": row.value as string, en: grade!.en },
        commendable: grade!.commendable,
      });
      return;
    }
    const kind = (row.kind ?? "") as IndicatorKind;
    if (!KINDS.has(kind)) fail("facts", line, "kind", `未知类型“${row.kind}”`, `unknown kind "${row.kind}"`);
    const unit = meta.indicatorUnits?.[id] ?? units[row.unit ?? ""];
    if (!unit) fail("facts", line, "unit", `未知计量单位“${row.unit}”`, `unknown unit "${row.unit}"`);
    const [number_, ...words] = section.split(" ");
    const group = section === "headline" ? "headline" : (number_ as string);
    if (!groups.has(group)) {
      const title =
        section === "headline" ? { "zh-CN": "主要指标", en: "key indicators" } : meta.groups[group];
      groups.set(group, {
        id: group,
        title: title ?? { "zh-CN": words.join(" "), en: words.join(" ") },
        ...(section === "headline" ? { lead: true } : {}),
      });
    }
    const value = number("facts", row, line, "value");
    if (value === undefined) fail("facts", line, "value", "缺少数值", "missing");
    const rank = number("facts", row, line, "provincial_rank");
    const previous = number("facts", row, line, "previous_rank");
    const change = number("facts", row, line, "change");
    const past = [
      ...(pastRanks.get(id) ?? []),
      ...(previous !== undefined ? [{ year: meta.year - 1, rank: previous }] : []),
    ];
    indicators.push({
      id,
      group,
      name,
      kind,
      value: value as number,
      unit: unit!,
      ...(change !== undefined ? { change } : {}),
      ...(rank !== undefined ? { rank } : {}),
      ...(past.length > 0 ? { history: past } : {}),
      ...(FIRST_TIME.test(row.indicator_en ?? "") ? { firstTime: true } : {}),
    });
  });
  return {
    unit: meta.unit,
    year: meta.year,
    date: meta.date,
    source: meta.source,
    ...(meta.rankScope ? { rankScope: meta.rankScope } : {}),
    results,
    groups: [...groups.values()],
    indicators,
  };
}
