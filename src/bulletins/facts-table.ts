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

/** A row of the facts or history table: every column as text, by column name. */
export type FactRow = Record<string, string>;

/** A row with the line of its file it starts on (the header is line 1), as the CSV reader gives it. */
export interface TableRow {
  line: number;
  cells: FactRow;
}

/** The columns each table must have; the others of docs/bulletins.md are optional. */
export const REQUIRED_COLUMNS = {
  facts: ["id", "section", "indicator_zh", "indicator_en", "value", "unit", "kind"],
  history: ["id", "year", "rank"],
} as const;

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
  throw new BulletinInputError({ "zh-CN": zh, en }, { table, row, column });
};

/** A number cell: empty or NA is missing (undefined); anything else must be a finite number. */
function number(table: Table, { line, cells }: TableRow, column: string): number | undefined {
  const text = (cells[column] ?? "").trim();
  if (text === "" || text === "NA") return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) fail(table, line, column, `“${text}”不是数字`, `"${text}" is not a number`);
  return n;
}

/** A rank or year cell: a positive whole number, or missing. */
function whole(table: Table, row: TableRow, column: string): number | undefined {
  const n = number(table, row, column);
  if (n !== undefined && !(Number.isInteger(n) && n >= 1))
    fail(table, row.line, column, `${n} 不是正整数`, `${n} is not a positive whole number`);
  return n;
}

const FIRST_TIME = /\s*\(first time\)\s*$/i;

/**
 * The bulletin input of one unit. Facts rows: section "result" rows are grades (value = the grade),
 * "headline" rows the key indicators, "N name" rows indicator group N; previous_rank is the year
 * before's rank, and `history` (id, year, rank) gives earlier years. Errors are BulletinInputErrors
 * with the table, the row's line and the column.
 */
export function bulletinInputFromTables(
  facts: readonly TableRow[],
  history: readonly TableRow[],
  meta: BulletinMeta,
): BulletinInput {
  const units = { ...DEFAULT_UNITS, ...meta.units };
  const results: AssessmentResult[] = [];
  const groups = new Map<string, IndicatorGroup>();
  const indicators: IndicatorResult[] = [];
  const factLines = new Map<string, number>();
  for (const { line, cells } of facts) {
    const id = (cells.id ?? "").trim();
    if (id === "") fail("facts", line, "id", "id 为空", "the id is empty");
    const first = factLines.get(id);
    if (first !== undefined)
      fail(
        "facts",
        line,
        "id",
        `id ${id} 重复（首次出现在第 ${first} 行）`,
        `duplicate id ${id} (first on row ${first})`,
      );
    factLines.set(id, line);
  }
  /** Earlier years' ranks by id, each with the history row it is on. */
  const pastRanks = new Map<string, { year: number; rank: number; line: number }[]>();
  for (const h of history) {
    const id = (h.cells.id ?? "").trim();
    if (!factLines.has(id))
      fail("history", h.line, "id", `指标 ${id} 不在事实表中`, `indicator ${id} is not in the facts table`);
    const year = whole("history", h, "year");
    const rank = whole("history", h, "rank");
    if (year === undefined || rank === undefined)
      fail("history", h.line, year === undefined ? "year" : "rank", "缺少数值", "missing");
    const past = pastRanks.get(id) ?? [];
    const twice = past.find((p) => p.year === year);
    if (twice)
      fail(
        "history",
        h.line,
        "year",
        `指标 ${id} ${year} 年的名次给了两次（首次在第 ${twice.line} 行）`,
        `two ranks for ${id} in ${year} (the first on row ${twice.line})`,
      );
    if ((year as number) >= meta.year)
      fail(
        "history",
        h.line,
        "year",
        `历史名次的年份 ${year} 不早于考核年度 ${meta.year}`,
        `history year ${year} is not before ${meta.year}`,
      );
    pastRanks.set(id, [...past, { year: year as number, rank: rank as number, line: h.line }]);
  }
  for (const fact of facts) {
    const { line, cells: row } = fact;
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
      continue;
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
    const value = number("facts", fact, "value");
    if (value === undefined) fail("facts", line, "value", "缺少数值", "missing");
    const rank = whole("facts", fact, "provincial_rank");
    const previous = whole("facts", fact, "previous_rank");
    const change = number("facts", fact, "change");
    const earlier = pastRanks.get(id) ?? [];
    const clash = earlier.find((p) => p.year === meta.year - 1);
    if (previous !== undefined && clash)
      fail(
        "history",
        clash.line,
        "year",
        `${clash.year} 年是上一年，其名次已由事实表第 ${line} 行的 previous_rank 给出`,
        `${clash.year} is the year before, whose rank is the previous_rank of the facts' row ${line}`,
      );
    const past = [
      ...earlier.map(({ year, rank }) => ({ year, rank })),
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
  }
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
