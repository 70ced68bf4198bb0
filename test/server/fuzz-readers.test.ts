import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/server/errors.js";
import { checkDocument } from "../../src/server/modules/plans/service.js";
import {
  readCsvTable,
  readXlsx,
  type SheetLimits,
  type SheetResult,
} from "../../src/server/modules/uploads/spreadsheet.js";
import { examplePlan } from "../helpers/example-plan.js";
import { fuzzRuns, fuzzSeed, hostileStrings } from "../helpers/fuzz.js";
import { sheetXml, textCell, workbookEntries, writeZip } from "../helpers/zip.js";

/**
 * Property tests of the three readers of users' documents: the plan parser (checkDocument: the engine's
 * schema, depth and structure checks), the CSV reader and the .xlsx reader. Whatever they are given
 * they answer within a time bound with the document or a refusal that says, in both languages, where —
 * never an exception of their own. FUZZ_RUNS sets the cases per property (default 200).
 */

const RUNS = fuzzRuns(200);
const SEED = fuzzSeed();
const BOUND_MS = 5_000;
const counted: Record<string, number> = {};
const count = (what: string) => {
  counted[what] = (counted[what] ?? 0) + 1;
};
afterAll(() => {
  console.log(
    `fuzz-readers (seed ${SEED}): ${Object.entries(counted)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")} cases`,
  );
});

const options = { numRuns: RUNS, seed: SEED, endOnFailure: true };
const hostile = fc.constantFrom(...hostileStrings);
const deep = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { indicators: [v] };
  return v;
};
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  hostile,
  fc.constantFrom(deep(50), deep(5_000), Number.NaN, -0, 1e308, null),
);

/** Every path (as keys) into a JSON value. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

/** A copy of `doc` with the value at `path` replaced (or, for a key like __proto__, added beside it). */
function mutate(doc: unknown, path: (string | number)[], value: unknown, key?: string): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last === undefined) return value;
  // Keys go on objects only: JSON cannot give an array a key (an array's own `constructor` breaks
  // Array.prototype.map itself, which no request can send).
  if (key !== undefined && at[last] && typeof at[last] === "object" && !Array.isArray(at[last]))
    Object.defineProperty(at[last], key, { value, enumerable: true, configurable: true, writable: true });
  else at[last] = value;
  return copy;
}

function timed<T>(what: string, f: () => T): T {
  const started = performance.now();
  try {
    return f();
  } finally {
    expect(performance.now() - started, what).toBeLessThan(BOUND_MS);
    count(what);
  }
}

function expectRefusal(e: unknown) {
  expect(e).toBeInstanceOf(AppError);
  const error = e as AppError;
  expect(error.status).toBe(400);
  expect(error.code).toMatch(/^[A-Z_]+$/);
  expect(error.messages["zh-CN"]).toMatch(/[\u3400-\u9fff]/);
  expect(error.messages.en).toMatch(/[A-Za-z]{2}/);
}

describe("the plan parser", () => {
  const plan = examplePlan();
  const paths = pathsOf(plan);

  it("accepts the example, and refuses any mutation of it only with a 400 naming the place", () => {
    expect(checkDocument(plan).plan.id).toBe(plan.id);
    fc.assert(
      fc.property(
        fc.constantFrom(...paths),
        anyValue,
        fc.option(fc.constantFrom("__proto__", "constructor", "prototype", "extra"), { freq: 3 }),
        (path, value, key) => {
          const doc = mutate(plan, path, value, key ?? undefined);
          try {
            timed("plan", () => checkDocument(doc));
          } catch (e) {
            expectRefusal(e);
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      options,
    );
  });

  it("refuses any JSON value that is not a plan with a 400", () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        let refusal: unknown;
        try {
          timed("plan", () => checkDocument(value));
        } catch (e) {
          refusal = e;
        }
        expectRefusal(refusal);
      }),
      options,
    );
  });
});

const limits: SheetLimits = { maxRows: 50, maxColumns: 16, maxCellChars: 200, maxInflatedBytes: 256 * 1024 };

/** A result within the limits, or a refusal (400 or 413) that names a sheet and says why in both languages. */
function expectBounded(result: SheetResult) {
  if (result.ok) {
    expect(result.table.rows.length).toBeLessThanOrEqual(limits.maxRows);
    for (const row of result.table.rows) {
      expect(row.cells.filter((c) => c !== "").length).toBeLessThanOrEqual(limits.maxColumns);
      for (const cell of row.cells) expect(cell.length).toBeLessThanOrEqual(limits.maxCellChars);
    }
  } else {
    expect([400, 413]).toContain(result.problem.status);
    expect(typeof result.problem.sheet).toBe("string");
    expect(result.problem.message["zh-CN"]).toMatch(/[\u3400-\u9fff]/);
    expect(result.problem.message.en).toMatch(/[A-Za-z]{2}/);
  }
}

const cellText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }),
  hostile.map((s) => s.slice(0, 400)),
  fc.constantFrom('"', '""', '"a""b', "\r", "\n", "\r\n", ",", ";", "\t", "=1+1", "\ufeff"),
);

describe("the CSV reader", () => {
  it("reads or refuses any text, and any bytes, within its limits", () => {
    const table = fc.array(fc.array(cellText, { maxLength: 20 }), { maxLength: 60 });
    const csv = fc.oneof(
      fc
        .tuple(table, fc.constantFrom("\n", "\r\n", "\r"))
        .map(([rows, end]) => rows.map((r) => r.join(",")).join(end)),
      table.map((rows) =>
        rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(",")).join("\r\n"),
      ),
      fc.string({ unit: "binary", maxLength: 2_000 }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          csv.map((s) => Buffer.from(s, "utf8")),
          fc.uint8Array({ maxLength: 4_000 }).map((b) => Buffer.from(b)),
        ),
        (body) => expectBounded(timed("csv", () => readCsvTable(body, limits))),
      ),
      options,
    );
  });
});

describe("the .xlsx reader", () => {
  const rowXml = (cells: string[], n: number) =>
    `<row r="${n}">${cells.map((c, i) => textCell(`${String.fromCharCode(65 + (i % 26))}${n}`, c)).join("")}</row>`;
  const xmlText = (s: string) =>
    s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll("\u0000", "");

  it("reads or refuses generated workbooks, and the same with bytes flipped, within its limits", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cellText.map(xmlText), { maxLength: 20 }), { maxLength: 60 }),
        fc.option(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), {
          freq: 2,
        }),
        fc.option(fc.constantFrom(...hostileStrings.slice(0, -1)), { freq: 3 }),
        async (rows, flips, sheetName) => {
          const xml = Buffer.concat([
            sheetXml.head,
            Buffer.from(rows.map((cells, i) => rowXml(cells, i + 1)).join("")),
            sheetXml.tail,
          ]);
          const file = await writeZip(workbookEntries(xml));
          for (const [at, byte] of flips ?? []) file[at % file.length] = byte;
          const started = performance.now();
          const result = await readXlsx(file, sheetName ?? undefined, limits);
          expect(performance.now() - started).toBeLessThan(BOUND_MS);
          count("xlsx");
          expectBounded(result);
        },
      ),
      { ...options, numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it("refuses a zip bomb, however it lies about its size, within the bound", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 64 }),
        fc.constantFrom(undefined, 100, 200 * 1024, 0xffffffff),
        fc.boolean(),
        async (megabytes, declaredSize, asRows) => {
          const chunk = asRows
            ? Buffer.from(`<row>${textCell("A1", "x".repeat(100))}</row>`.repeat(100))
            : Buffer.alloc(64 * 1024, 0x20);
          const times = Math.ceil((megabytes * 1024 * 1024) / chunk.length);
          const file = await writeZip(
            workbookEntries(
              { chunk, times, head: sheetXml.head, tail: sheetXml.tail },
              declaredSize === undefined ? {} : { declaredSize },
            ),
          );
          const started = performance.now();
          const result = await readXlsx(file, undefined, limits);
          expect(performance.now() - started).toBeLessThan(BOUND_MS);
          count("zip bomb");
          expect(result.ok).toBe(false);
          expectBounded(result);
        },
      ),
      { ...options, numRuns: Math.min(RUNS, 20) },
    );
  });
});
