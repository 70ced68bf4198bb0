import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import {
  cellOf,
  displayWidth,
  exportColumnsOf,
  fileNameOf,
  inferKind,
  sheetModel,
  sheetNameOf,
  type TableColumnLike,
  textOf,
  wallClock,
} from "./sheet";
import { workbookBytes } from "./xlsx";

interface Row {
  unit: string;
  name: string;
  rank: number | null;
  total: number;
  grade: string | null;
  titles: string[];
  at: string;
}

const rows: Row[] = [
  {
    unit: "kjj",
    name: "市科技局",
    rank: 1,
    total: 96.5,
    grade: "优秀",
    titles: ["优胜单位", "进位奖"],
    at: "2023-01-05T08:30:00Z",
  },
  {
    unit: "fgw",
    name: "市发展改革委",
    rank: 2,
    total: 91.25,
    grade: null,
    titles: [],
    at: "2023-01-06T16:00:00Z",
  },
  {
    unit: "tjj",
    name: "市统计局",
    rank: null,
    total: 88,
    grade: "良好",
    titles: [],
    at: "2023-01-07T00:00:00Z",
  },
];

const columns: TableColumnLike<Row>[] = [
  { title: "名次", dataIndex: "rank" },
  { title: "单位", key: "unit", export: (r) => r.name },
  { title: "总分", dataIndex: "total", export: { kind: "number", decimals: 2 } },
  { title: "等次", dataIndex: "grade" },
  { title: "称号", dataIndex: "titles" },
  { title: "时间", dataIndex: "at" },
  { title: "操作", key: "actions", export: false },
  { title: { type: "b" }, dataIndex: "unit" },
  { key: "nothing" },
];

describe("the export's columns from a table's columns", () => {
  it("reads by dataIndex or the export hint, and leaves out actions and columns without a text title", () => {
    const cols = exportColumnsOf(columns);
    expect(cols.map((c) => c.title)).toEqual(["名次", "单位", "总分", "等次", "称号", "时间"]);
    expect(cols.map((c) => c.value(rows[0]!, 0))).toEqual([
      1,
      "市科技局",
      96.5,
      "优秀",
      ["优胜单位", "进位奖"],
      "2023-01-05T08:30:00Z",
    ]);
  });

  it("reads a nested dataIndex path", () => {
    const [col] = exportColumnsOf<{ a: { b: number } | null }>([{ title: "b", dataIndex: ["a", "b"] }]);
    expect(col!.value({ a: { b: 7 } }, 0)).toBe(7);
    expect(col!.value({ a: null }, 0)).toBeUndefined();
  });

  it("a hint's own title wins over a title that is not text", () => {
    const [col] = exportColumnsOf<Row>([
      { title: { type: "i" }, export: { title: "总分", value: (r) => r.total } },
    ]);
    expect(col!.title).toBe("总分");
  });
});

describe("cell types", () => {
  it("infers a column's kind from its values", () => {
    expect(inferKind([1, 2, null])).toBe("integer");
    expect(inferKind([1, 2.5])).toBe("number");
    expect(inferKind(["2023-01-05T08:30:00Z", null, "2023-02-01T00:00:00.000Z"])).toBe("datetime");
    expect(inferKind(["2023-01-05", "2023-01-06"])).toBe("date");
    expect(inferKind(["2023-01-05", "x"])).toBe("text");
    expect(inferKind([1, "a"])).toBe("text");
    expect(inferKind([null, undefined, ""])).toBe("text");
  });

  it("writes numbers as numbers, dates as the page's wall-clock time, the rest as text, empties as nothing", () => {
    expect(cellOf(96.5, "number")).toEqual({ kind: "number", value: 96.5 });
    expect(cellOf("12.5", "number")).toEqual({ kind: "number", value: 12.5 });
    expect(cellOf("—", "number")).toEqual({ kind: "text", value: "—" });
    expect(cellOf(null, "number")).toBeNull();
    expect(cellOf([], "text")).toBeNull();
    expect(cellOf(["a", "b"], "text")).toEqual({ kind: "text", value: "a、b" });
    expect(cellOf("2023-01-05", "date")).toEqual({ kind: "date", value: new Date(Date.UTC(2023, 0, 5)) });
    const moment = new Date("2023-01-05T08:30:00Z");
    const cell = cellOf("2023-01-05T08:30:00Z", "datetime");
    expect(cell).toEqual({ kind: "date", value: wallClock(moment) });
    // The wall clock: the same fields in UTC as the moment has in local time.
    const w = wallClock(moment);
    expect([w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate(), w.getUTCHours(), w.getUTCMinutes()]).toEqual(
      [moment.getFullYear(), moment.getMonth(), moment.getDate(), moment.getHours(), moment.getMinutes()],
    );
    expect(cellOf("not a date", "datetime")).toEqual({ kind: "text", value: "not a date" });
  });

  it("counts a CJK character as two wide", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("市科技局")).toBe(8);
    expect(displayWidth("2022年度")).toBe(8);
  });
});

describe("names", () => {
  it("a sheet name without Excel's forbidden characters, at most 31 characters", () => {
    expect(sheetNameOf("经济发展部门排名")).toBe("经济发展部门排名");
    expect(sheetNameOf("a/b:c?d*e[f]g\\h")).toBe("a b c d e f g h");
    expect([...sheetNameOf("很".repeat(40))]).toHaveLength(31);
    expect(sheetNameOf("  ")).toBe("Sheet1");
  });

  it("a file name of the parts joined by a dash, unsafe characters dropped", () => {
    expect(fileNameOf(["2022年度目标责任制考核", "排名"])).toBe("2022年度目标责任制考核-排名.xlsx");
    expect(fileNameOf(["a/b", undefined, "", "c:d"])).toBe("a b-c d.xlsx");
    expect(fileNameOf([])).toBe("export.xlsx");
  });
});

describe("the sheet model", () => {
  const model = sheetModel({
    title: ["2022年度目标责任制考核", "经济发展部门排名"],
    columns: exportColumnsOf(columns),
    rows,
  });

  it("names the sheet by the table and the file by the plan and the table", () => {
    expect(model.sheetName).toBe("经济发展部门排名");
    expect(model.fileName).toBe("2022年度目标责任制考核-经济发展部门排名.xlsx");
  });

  it("has a typed cell per column for each row, in the table's order", () => {
    expect(model.columns.map((c) => c.header)).toEqual(["名次", "单位", "总分", "等次", "称号", "时间"]);
    expect(model.columns.map((c) => c.numFmt)).toEqual(["0", "@", "0.00", "@", "@", "yyyy-mm-dd hh:mm"]);
    expect(model.rows).toHaveLength(rows.length);
    expect(model.rows[0]!.slice(0, 5)).toEqual([
      { kind: "number", value: 1 },
      { kind: "text", value: "市科技局" },
      { kind: "number", value: 96.5 },
      { kind: "text", value: "优秀" },
      { kind: "text", value: "优胜单位、进位奖" },
    ]);
    expect(model.rows[0]![5]!.kind).toBe("date");
    expect(model.rows[1]![3]).toBeNull();
    expect(model.rows[2]![0]).toBeNull();
  });

  it("sizes each column to its header or its longest cell, within bounds", () => {
    const width = (h: string) => model.columns.find((c) => c.header === h)!.width;
    expect(width("名次")).toBe(6); // "名次" is 4 wide, "1" 1: the minimum
    expect(width("单位")).toBe(displayWidth("市发展改革委") + 2);
    expect(width("称号")).toBe(displayWidth("优胜单位、进位奖") + 2);
    expect(width("时间")).toBe("0000-00-00 00:00".length + 2);
    const wide = sheetModel({
      title: ["x"],
      columns: [{ title: "t", value: () => "字".repeat(100) }],
      rows: [1],
    });
    expect(wide.columns[0]!.width).toBe(60);
  });
});

describe("the workbook", () => {
  it("reads back with the header frozen and bold, numbers and dates typed, Chinese headers, one row per row", async () => {
    const model = sheetModel({
      title: ["2022年度目标责任制考核", "经济发展部门排名"],
      columns: exportColumnsOf(columns),
      rows,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await workbookBytes(model));
    const sheet = workbook.getWorksheet("经济发展部门排名")!;
    expect(sheet).toBeDefined();
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getRow(1).values).toEqual([undefined, "名次", "单位", "总分", "等次", "称号", "时间"]);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.rowCount).toBe(rows.length + 1);
    const total = sheet.getRow(3).getCell(3);
    expect(total.type).toBe(ExcelJS.ValueType.Number);
    expect(total.value).toBe(91.25);
    expect(total.numFmt).toBe("0.00");
    expect(sheet.getRow(2).getCell(2).value).toBe("市科技局");
    const at = sheet.getRow(2).getCell(6);
    expect(at.type).toBe(ExcelJS.ValueType.Date);
    expect((at.value as Date).getTime()).toBe(wallClock(new Date(rows[0]!.at)).getTime());
    expect(sheet.getRow(3).getCell(4).value).toBeNull();
    expect(sheet.getColumn(2).width).toBe(model.columns[1]!.width);
  });
});

/** A React element's shape as the export reads it (no React here: the module is pure). */
const el = (children: unknown, props: Record<string, unknown> = {}) => ({
  type: "span",
  props: { ...props, children },
});

describe("columns read as they are rendered", () => {
  it("takes a rendered cell's text: strings, numbers, children, tags side by side", () => {
    expect(textOf("a")).toBe("a");
    expect(textOf(12.5)).toBe("12.5");
    expect(textOf(el(["共 ", 3, " 项"]))).toBe("共 3 项");
    expect(textOf([el("优胜单位"), el("进位奖")])).toBe("优胜单位、进位奖");
    expect(textOf(el(el("96.50")))).toBe("96.50");
    expect(textOf(el(undefined, { "aria-label": "选择" }))).toBe("");
    expect(textOf([null, false, el("x")])).toBe("x");
  });

  it("writes a rendered number as a number with the decimals shown, a dash as nothing", () => {
    interface R {
      code: string;
      total: number | null;
      status: string;
    }
    const data: R[] = [
      { code: "a", total: 96.5, status: "approved" },
      { code: "b", total: null, status: "returned" },
    ];
    const names: Record<string, string> = { approved: "已通过", returned: "已退回" };
    const cols = exportColumnsOf<R>(
      [
        {
          title: "总分",
          dataIndex: "total",
          render: (v: number | null) => (v === null ? "—" : el(v.toFixed(2))),
        },
        { title: "状态", dataIndex: "status", render: (s: string) => el(names[s]) },
        { title: "选择", key: "pick", render: (_: unknown, r: R) => el(undefined, { "aria-label": r.code }) },
        { title: "操作", key: "op", render: () => el("审核"), export: false },
      ],
      data,
    );
    expect(cols.map((c) => c.title)).toEqual(["总分", "状态"]);
    const model = sheetModel({ title: ["审核队列"], columns: cols, rows: data });
    expect(model.columns.map((c) => c.numFmt)).toEqual(["0.00", "@"]);
    expect(model.rows).toEqual([
      [
        { kind: "number", value: 96.5 },
        { kind: "text", value: "已通过" },
      ],
      [null, { kind: "text", value: "已退回" }],
    ]);
  });

  it("a column typed by its hint is read from its data, not as it shows (no rounding, no locale format)", () => {
    const data = [{ total: 96.4999, at: "2023-01-05T08:30:00Z" }];
    const cols = exportColumnsOf<(typeof data)[number]>([
      {
        title: "总分",
        dataIndex: "total",
        render: (v: number) => el(v.toFixed(2)),
        export: { kind: "number", decimals: 2 },
      },
      {
        title: "时间",
        dataIndex: "at",
        render: (v: string) => new Date(v).toLocaleString("zh-CN"),
        export: { kind: "datetime" },
      },
    ]);
    const model = sheetModel({ title: ["x"], columns: cols, rows: data });
    expect(model.rows[0]).toEqual([
      { kind: "number", value: 96.4999 },
      { kind: "date", value: wallClock(new Date("2023-01-05T08:30:00Z")) },
    ]);
    expect(model.columns.map((c) => c.numFmt)).toEqual(["0.00", "yyyy-mm-dd hh:mm"]);
  });

  it("names a grouped column's children after the group", () => {
    const cols = exportColumnsOf<{ a: number; b: number }>([
      {
        title: "B1 指标",
        children: [
          { title: "目标", dataIndex: "a" },
          { title: "实际", dataIndex: "b" },
        ],
      },
    ]);
    expect(cols.map((c) => c.title)).toEqual(["B1 指标 · 目标", "B1 指标 · 实际"]);
    expect(cols[1]!.value({ a: 1, b: 2 }, 0)).toBe(2);
  });

  it("reads thousands separators and whole numbers shown as text", () => {
    const model = sheetModel({
      title: ["x"],
      columns: [{ title: "n", value: (r: string) => r }],
      rows: ["1,234", "12"],
    });
    expect(model.columns[0]!.numFmt).toBe("0");
    expect(model.rows.map((r) => r[0])).toEqual([
      { kind: "number", value: 1234 },
      { kind: "number", value: 12 },
    ]);
  });
});
