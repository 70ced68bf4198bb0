import {
  buildFramework,
  type Coin,
  type CoinSlice,
  createDataset,
  type Framework,
  type IndicatorNode,
  type UnitInfo,
  type WeightSet,
} from "../engine/index.js";
import { bilingual, CliError } from "./cli-error.js";
import type { CsvTable } from "./csv.js";

/** Columns of COINr's iMeta that kaohe reads. */
const META_REQUIRED = ["Level", "iCode", "Parent", "Direction", "Weight", "Type"] as const;
const META_TYPES = new Set(["Indicator", "Aggregate", "Group", "Denominator", "Other"]);

interface MetaRow {
  line: number;
  code: string;
  type: string;
}

/** Parses one numeric cell: empty or NA is missing; anything else must be a finite number. */
export function parseNumberCell(text: string, place: { file: string; row: number; column: string }): number {
  const t = text.trim();
  if (t === "" || t === "NA") return Number.NaN;
  const v = Number(t);
  if (!Number.isFinite(v)) {
    throw new CliError(place, bilingual(`“${t}”不是数字`, `"${t}" is not a number`));
  }
  return v;
}

function columnGetter(table: CsvTable) {
  const index = new Map(table.header.map((h, i) => [h, i] as const));
  return (cells: string[], name: string): string | undefined => {
    const i = index.get(name);
    return i === undefined ? undefined : (cells[i] ?? "").trim();
  };
}

export function requireColumns(table: CsvTable, names: readonly string[]): void {
  for (const name of names) {
    if (!table.header.includes(name)) {
      throw new CliError(
        { file: table.file, row: 1, column: name },
        bilingual(`缺少必需的列 ${name}`, `required column ${name} is missing`),
      );
    }
  }
}

/** Reads iMeta into a validated indicator framework plus the codes of group and denominator columns. */
export function readMeta(table: CsvTable): {
  framework: Framework;
  groups: string[];
  denominators: string[];
  rows: Map<string, MetaRow>;
} {
  requireColumns(table, META_REQUIRED);
  const get = columnGetter(table);
  const nodes: IndicatorNode[] = [];
  const groups: string[] = [];
  const denominators: string[] = [];
  const rows = new Map<string, MetaRow>();
  for (const { line, cells } of table.rows) {
    const place = (column: string) => ({ file: table.file, row: line, column });
    const code = get(cells, "iCode") ?? "";
    const type = get(cells, "Type") ?? "";
    if (code === "") throw new CliError(place("iCode"), bilingual("iCode 为空", "iCode is empty"));
    if (!META_TYPES.has(type)) {
      throw new CliError(
        place("Type"),
        bilingual(
          `类型“${type}”无效，应为 ${[...META_TYPES].join("、")}`,
          `type "${type}" is not one of ${[...META_TYPES].join(", ")}`,
        ),
      );
    }
    if (rows.has(code)) {
      throw new CliError(
        place("iCode"),
        bilingual(
          `iCode ${code} 重复（首次出现在第 ${rows.get(code)?.line} 行）`,
          `duplicate iCode ${code} (first on row ${rows.get(code)?.line})`,
        ),
      );
    }
    rows.set(code, { line, code, type });
    if (type === "Group") groups.push(code);
    if (type === "Denominator") denominators.push(code);
    if (type !== "Indicator" && type !== "Aggregate") continue;
    const level = parseNumberCell(get(cells, "Level") ?? "", place("Level"));
    if (!Number.isInteger(level) || level < 1) {
      throw new CliError(
        place("Level"),
        bilingual("层级必须是不小于 1 的整数", "Level must be an integer >= 1"),
      );
    }
    if ((type === "Indicator") !== (level === 1)) {
      throw new CliError(
        place("Level"),
        bilingual(
          "Indicator 必须在第 1 层，Aggregate 必须在第 2 层及以上",
          "an Indicator must be at Level 1 and an Aggregate above it",
        ),
      );
    }
    const dirText = get(cells, "Direction") ?? "";
    const direction =
      dirText === "" && type === "Aggregate" ? 1 : parseNumberCell(dirText, place("Direction"));
    if (direction !== 1 && direction !== -1) {
      throw new CliError(place("Direction"), bilingual("方向必须是 1 或 -1", "Direction must be 1 or -1"));
    }
    const weight = parseNumberCell(get(cells, "Weight") ?? "", place("Weight"));
    if (!(weight >= 0)) {
      throw new CliError(
        place("Weight"),
        bilingual("权重必须是非负数", "Weight must be a non-negative number"),
      );
    }
    const parent = get(cells, "Parent") ?? "";
    const node: IndicatorNode = {
      code,
      name: get(cells, "iName") || code,
      level,
      parent: parent === "" ? null : parent,
      direction,
      weight,
    };
    const unit = get(cells, "Unit");
    if (unit) node.unit = unit;
    const target = get(cells, "Target");
    if (target) node.target = parseNumberCell(target, place("Target"));
    const denominator = get(cells, "Denominator");
    if (denominator) node.denominator = denominator;
    nodes.push(node);
  }
  if (nodes.length === 0) {
    throw new CliError(
      { file: table.file },
      bilingual("没有任何指标（Type = Indicator）", "no indicators (Type = Indicator)"),
    );
  }
  const built = buildFramework(nodes);
  if (!built.ok) {
    const code = built.error.indicator;
    const column =
      { DUPLICATE_CODE: "iCode", BAD_LEVEL: "Level", BAD_WEIGHT: "Weight", EMPTY_AGGREGATE: "iCode" }[
        built.error.code
      ] ?? "Parent";
    throw CliError.fromEngine(built.error, {
      file: table.file,
      ...(code && rows.has(code) ? { row: rows.get(code)?.line } : {}),
      column,
    });
  }
  for (const node of nodes) {
    if (node.denominator && rows.get(node.denominator)?.type !== "Denominator") {
      throw new CliError(
        { file: table.file, row: rows.get(node.code)?.line, column: "Denominator" },
        bilingual(
          `分母 ${node.denominator} 未在 iMeta 中声明为 Denominator`,
          `denominator ${node.denominator} is not declared in iMeta with Type Denominator`,
        ),
      );
    }
  }
  return { framework: built.value, groups, denominators, rows };
}

/**
 * Builds a coin from COINr-style iData and iMeta tables: uCode, uName, group columns (*_group or
 * Type Group), an optional Time column, denominator columns and one column per indicator.
 */
export function readCoin(iData: CsvTable, iMeta: CsvTable): Coin {
  const meta = readMeta(iMeta);
  requireColumns(iData, ["uCode"]);
  const { framework } = meta;
  const groupNames = [
    ...new Set([
      ...meta.groups.filter((g) => iData.header.includes(g)),
      ...iData.header.filter((h) => h.endsWith("_group")),
    ]),
  ];
  requireColumns(iData, [...framework.indicators, ...meta.denominators]);
  const known = new Set([
    "uCode",
    "uName",
    "Time",
    ...groupNames,
    ...meta.denominators,
    ...framework.indicators,
  ]);
  for (const h of iData.header) {
    if (known.has(h)) continue;
    const type = meta.rows.get(h)?.type;
    if (type === "Other") continue;
    throw new CliError(
      { file: iData.file, row: 1, column: h },
      type === "Aggregate"
        ? bilingual(
            `${h} 是汇总指标，不能出现在 iData 中`,
            `${h} is an aggregate and cannot be a column of iData`,
          )
        : bilingual(`列 ${h} 未在 iMeta 中声明`, `column ${h} is not declared in iMeta`),
    );
  }
  const get = columnGetter(iData);
  const hasTime = iData.header.includes("Time");
  const byTime = new Map<number | null, { line: number; cells: string[]; code: string }[]>();
  for (const { line, cells } of iData.rows) {
    const code = get(cells, "uCode") ?? "";
    if (code === "")
      throw new CliError(
        { file: iData.file, row: line, column: "uCode" },
        bilingual("uCode 为空", "uCode is empty"),
      );
    const time = hasTime
      ? parseNumberCell(get(cells, "Time") ?? "", { file: iData.file, row: line, column: "Time" })
      : null;
    if (time !== null && Number.isNaN(time)) {
      throw new CliError(
        { file: iData.file, row: line, column: "Time" },
        bilingual("Time 为空", "Time is empty"),
      );
    }
    const list = byTime.get(time) ?? [];
    const dup = list.find((r) => r.code === code);
    if (dup) {
      throw new CliError(
        { file: iData.file, row: line, column: "uCode" },
        bilingual(
          `uCode ${code} 重复（首次出现在第 ${dup.line} 行）`,
          `duplicate uCode ${code} (first on row ${dup.line})`,
        ),
      );
    }
    list.push({ line, cells, code });
    byTime.set(time, list);
  }
  if (byTime.size === 0) throw new CliError({ file: iData.file }, bilingual("没有数据行", "no data rows"));
  const times = [...byTime.keys()].sort((a, b) => (a ?? 0) - (b ?? 0));
  const slices: CoinSlice[] = times.map((time) => {
    const records = [...(byTime.get(time) ?? [])].sort((a, b) =>
      a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
    );
    const units = new Map<string, UnitInfo>();
    const raw = createDataset(
      records.map((r) => r.code),
      framework.indicators,
    );
    const n = records.length;
    records.forEach((r, i) => {
      const place = (column: string) => ({ file: iData.file, row: r.line, column });
      units.set(r.code, {
        code: r.code,
        name: get(r.cells, "uName") || r.code,
        groups: Object.fromEntries(groupNames.map((g) => [g, get(r.cells, g) || null])),
        denominators: Object.fromEntries(
          meta.denominators.map((d) => [d, parseNumberCell(get(r.cells, d) ?? "", place(d))]),
        ),
      });
      framework.indicators.forEach((code, j) => {
        const v = parseNumberCell(get(r.cells, code) ?? "", place(code));
        raw.values[j * n + i] = v;
        raw.na[j * n + i] = Number.isNaN(v) ? 1 : 0;
      });
    });
    return { time, units, raw };
  });
  return { framework, groupNames, slices, weightSets: new Map(), denominatorTables: new Map() };
}

/** Reads a weights CSV (iCode, Weight) into a weight set, checking codes against the framework. */
export function readWeights(table: CsvTable, framework: Framework): WeightSet {
  requireColumns(table, ["iCode", "Weight"]);
  const get = columnGetter(table);
  const out = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const code = get(cells, "iCode") ?? "";
    if (!framework.byCode.has(code)) {
      throw new CliError(
        { file: table.file, row: line, column: "iCode" },
        bilingual(`${code} 不在指标树中`, `${code} is not in the indicator tree`),
      );
    }
    const w = parseNumberCell(get(cells, "Weight") ?? "", { file: table.file, row: line, column: "Weight" });
    if (!(w >= 0)) {
      throw new CliError(
        { file: table.file, row: line, column: "Weight" },
        bilingual("权重必须是非负数", "Weight must be a non-negative number"),
      );
    }
    out.set(code, w);
  }
  return out;
}

/** Reads a denominator table: a uCode column and one numeric column per denominator. */
export function readDenominators(table: CsvTable): Map<string, Record<string, number>> {
  requireColumns(table, ["uCode"]);
  const get = columnGetter(table);
  const numeric = table.header.filter((h) => h !== "uCode" && h !== "uName");
  const out = new Map<string, Record<string, number>>();
  for (const { cells } of table.rows) {
    const code = get(cells, "uCode") ?? "";
    const record: Record<string, number> = {};
    for (const h of numeric) {
      const text = get(cells, h) ?? "";
      const v = Number(text);
      // Text columns (e.g. an income group) are simply not denominators.
      record[h] = text === "" || text === "NA" || !Number.isFinite(v) ? Number.NaN : v;
    }
    out.set(code, record);
  }
  return out;
}
