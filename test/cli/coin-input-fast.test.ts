import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCoin } from "../../src/cli/coin-input.js";
import { plainNumber, readCoinFromBytes } from "../../src/cli/coin-input-fast.js";
import { parseCsv } from "../../src/cli/csv.js";
import type { Coin } from "../../src/engine/index.js";

const iMeta = parseCsv(
  `Level,iCode,iName,Direction,Weight,Parent,Type,Target,Denominator
1,x,X,1,1,P,Indicator,10,
1,y,Y,-1,2,P,Indicator,,
1,z,Z,1,1,Q,Indicator,,pop
2,P,Pillar P,1,1,I,Aggregate,,
2,Q,Pillar Q,1,1,I,Aggregate,,
3,I,Index,1,1,,Aggregate,,
,region_group,Region,,,,Group,,
,pop,Population,,,,Denominator,,
,note,Note,,,,Other,,
`,
  "iMeta.csv",
);

/** The coin as the general path reads it, or "refused" where it throws. */
function general(text: string): Coin | "refused" {
  try {
    return readCoin(parseCsv(text, "iData.csv"), iMeta);
  } catch {
    return "refused";
  }
}

function fast(text: string): Coin | null | "threw" {
  try {
    return readCoinFromBytes(Buffer.from(text, "utf8"), iMeta);
  } catch {
    return "threw";
  }
}

const good = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => v.toFixed(3)),
  fc.integer().map(String),
  fc.constantFrom("", "NA", " 7 ", "-0", "+5", ".5", "5.", "1e5", "1E-3", "0x10", "007"),
  fc.constantFrom(
    "12345678901234567890",
    "0.000000000000000000001",
    "1.50000000000000000000",
    "9007199254740993",
  ),
);
const bad = fc.constantFrom("1e", "-", "Inf", "NaN", "five", " ", "1 2");
const number = fc.oneof({ weight: 30, arbitrary: good }, bad);
const text = fc.constantFrom("A", "", " B ", "北京", "a b", "north", "south", "=1", "x,y");
/** Most cells as they are, some quoted whole, a few with a quote inside (the general path's). */
const quoting = (cell: fc.Arbitrary<string>) =>
  fc
    .tuple(cell, fc.integer({ min: 0, max: 40 }))
    .map(([c, k]) => (k < 30 && !c.includes(",") ? c : k < 39 ? `"${c}"` : `"${c}""q"`));
const columns = ["uCode", "uName", "region_group", "pop", "x", "y", "z", "note"];
const header: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 8, arbitrary: fc.constant(columns) },
  fc.shuffledSubarray(columns, { minLength: 4 }),
  fc.constant<string[]>([...columns, "Time"]),
  fc.constant<string[]>([...columns, "stray"]),
);
const eol = fc.oneof({ weight: 10, arbitrary: fc.constantFrom("\n", "\r\n") }, fc.constantFrom("\r", "\n\n"));

function row(h: string[], r: number) {
  return fc.tuple(
    fc.tuple(
      ...h.map((c) =>
        quoting(
          c === "uCode"
            ? fc.oneof({ weight: 20, arbitrary: fc.constant(`U${r}`) }, fc.constantFrom("U0", "", " U9 "))
            : c === "Time"
              ? fc.constantFrom("2020", "2021", "2021", "", "x")
              : ["pop", "x", "y", "z"].includes(c)
                ? number
                : text,
        ),
      ),
    ),
    fc.integer({ min: 0, max: 30 }),
    eol,
  );
}

const file = header.chain((h) =>
  fc
    .tuple(
      fc.boolean(),
      fc
        .integer({ min: 0, max: 6 })
        .chain((n) => fc.tuple(...Array.from({ length: n }, (_, r) => row(h, r)))),
      fc.oneof(fc.constant(""), eol),
    )
    .map(([bom, rows, end]) => {
      const head = `${bom ? "\uFEFF" : ""}${h.map((c, i) => (i === 1 && bom ? `"${c}"` : c)).join(",")}`;
      // Now and then a row one cell short or long.
      const line = (cells: string[], k: number) =>
        (k === 0 ? cells.slice(1) : k === 1 ? [...cells, "9"] : cells).join(",");
      return `${head}${rows.map(([cells, k, e]) => `${e}${line(cells, k)}`).join("")}${end}`;
    }),
);

describe("iData straight from its bytes", () => {
  it("gives readCoin's coin wherever it gives one, and gives none where readCoin refuses", () => {
    let taken = 0;
    fc.assert(
      fc.property(file, (t) => {
        const got = fast(t);
        const expected = general(t);
        if (got !== null && got !== "threw") {
          taken++;
          expect(got).toEqual(expected);
        }
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the fast path often, or this test would prove nothing.
    expect(taken).toBeGreaterThan(150);
  });

  it("reads a number exactly as Number does wherever it reads one itself", () => {
    const decimal = fc
      .tuple(
        fc.constantFrom("", "-", "+"),
        fc.stringMatching(/^[0-9]{0,12}$/),
        fc.option(fc.stringMatching(/^[0-9]{0,12}$/)),
        fc.option(fc.integer({ min: -30, max: 30 })),
      )
      .map(
        ([sign, int, frac, exp]) =>
          `${sign}${int}${frac === null ? "" : `.${frac}`}${exp === null ? "" : `e${exp}`}`,
      );
    fc.assert(
      fc.property(
        fc.oneof(
          decimal,
          fc.double().map(String),
          fc.double({ min: 1e-7, max: 1e7 }).map((v) => v.toPrecision(15)),
          fc.double({ min: 1e-7, max: 1e7 }).map((v) => v.toPrecision(16)),
          fc.double({ min: 1e-7, max: 1e7 }).map((v) => v.toPrecision(17)),
          fc.double({ min: 1e-7, max: 1e7 }).map((v) => v.toPrecision(18)),
          // 16 to 18 digits with the point anywhere, and integers halfway between doubles (2^53 + odd).
          fc
            .tuple(fc.bigInt({ min: 10n ** 15n, max: 10n ** 18n - 1n }), fc.integer({ min: 0, max: 22 }))
            .map(([m, q]) => {
              const t = m.toString().padStart(q + 1, "0");
              return q === 0 ? t : `${t.slice(0, -q)}.${t.slice(-q)}`;
            }),
          fc.bigInt({ min: 0n, max: 2n ** 52n - 1n }).map((k) => String(2n ** 53n + 2n * k + 1n)),
          fc.bigInt({ min: 0n, max: 2n ** 51n }).map((k) => `0.${String(2n ** 53n + 2n * k + 1n)}`),
        ),
        (s) => {
          const bytes = Buffer.from(s, "latin1");
          const v = plainNumber(bytes, 0, bytes.length);
          // null: plain decimal text that Number reads as it stands (more than 15 digits).
          if (v === null) expect(Number.isNaN(Number(s))).toBe(false);
          else if (v !== undefined && s !== "" && s !== "NA") expect(Object.is(v, Number(s))).toBe(true);
        },
      ),
      { numRuns: 100000 },
    );
  });
});
