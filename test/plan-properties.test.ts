import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type IndicatorSpec, type Plan, scorePlan } from "../src/engine/index.js";
import { rowsOf, testPlan } from "../src/engine/plan/_fixtures.js";

const UNITS = ["A", "B", "C", "D", "E", "F"];

/** Monotone rules, each on its own leaf (all higher-is-better). */
const monotoneLeaves: IndicatorSpec[] = [
  { code: "c", name: "c", points: 10, target: 50, rule: { type: "completion", floor: 0.5, bonusCap: 0.2 } },
  {
    code: "t",
    name: "t",
    points: 10,
    rule: {
      type: "tiers",
      tiers: [
        { threshold: 80, points: 10 },
        { threshold: 50, points: 6 },
        { threshold: 20, points: 2 },
      ],
    },
  },
  { code: "y", name: "y", points: 10, rule: { type: "yesno", threshold: 40 } },
  {
    code: "r",
    name: "r",
    points: 10,
    rule: { type: "relative", normaliser: { method: "minmax", range: [0, 1] } },
  },
  { code: "k", name: "k", points: 10, rule: { type: "rank", source: "peers", step: { points: 1.5 } } },
  { code: "m", name: "m", points: 10, rule: { type: "mark" } },
];

const value = fc.double({ min: 0, max: 100, noNaN: true });

function scores(plan: Plan, values: Record<string, number>[]) {
  const rows = monotoneLeaves.flatMap((leaf, k) => rowsOf(leaf.code, values[k] ?? {}));
  const run = scorePlan(plan, rows);
  if (!run.ok) throw new Error(run.error.message.en);
  return run.value;
}

describe("plan properties", () => {
  it("a unit that improves an actual value never loses points under a monotone rule", () => {
    const plan = testPlan(monotoneLeaves);
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.constantFrom(...UNITS), value, { minKeys: 2 }), {
          minLength: 6,
          maxLength: 6,
        }),
        fc.constantFrom(...UNITS),
        fc.nat(5),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (values, unit, leaf, raise) => {
          if (values[leaf]![unit] === undefined) return;
          const before = scores(plan, values).units.find((u) => u.unit === unit)!;
          // A mark stays within its scale (0-100): one above it is refused, never capped (value rules).
          const top = monotoneLeaves[leaf]!.rule?.type === "mark" ? 100 : Number.POSITIVE_INFINITY;
          const raised = values.map((v, k) =>
            k === leaf ? { ...v, [unit]: Math.min(top, (v[unit] as number) + raise) } : v,
          );
          const after = scores(plan, raised).units.find((u) => u.unit === unit)!;
          const code = monotoneLeaves[leaf]!.code;
          expect(after.scores[code]!).toBeGreaterThanOrEqual(before.scores[code]! - 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  const gradePlan = (share: number, count: number | undefined, rounding: "floor" | "round" | "ceil") =>
    testPlan([{ code: "m", name: "m", points: 100, rule: { type: "mark" } }], {
      grades: [
        { code: "优秀", minScore: 60, quota: count === undefined ? { share, rounding } : { count } },
        { code: "良好", minScore: 40, quota: { share: Math.min(1, share * 1.5), rounding } },
        { code: "一般" },
      ],
      vetoes: [{ code: "v", name: "veto", ineligible: ["优秀"] }],
    });
  const marks = fc.dictionary(fc.constantFrom(...UNITS), fc.integer({ min: 0, max: 100 }), {
    minKeys: 6,
    maxKeys: 6,
  });

  it("quotas are never exceeded, whatever the scores, ties and rounding", () => {
    fc.assert(
      fc.property(
        marks,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.option(fc.nat(6), { nil: undefined }),
        fc.constantFrom("floor", "round", "ceil"),
        fc.subarray(UNITS),
        (m, share, count, rounding, vetoed) => {
          const rows = [
            ...rowsOf("m", m),
            ...vetoed.map((unit) => ({ unit, indicator: "v", period: "2022", value: 1 })),
          ];
          const run = scorePlan(gradePlan(share, count, rounding), rows);
          if (!run.ok) throw new Error(run.error.message.en);
          for (const q of run.value.quotas) {
            const holders = run.value.units.filter((u) => u.category === q.category && u.grade === q.grade);
            expect(holders.length).toBeLessThanOrEqual(q.limit);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("grades are monotone in the total within a category unless a veto applies", () => {
    fc.assert(
      fc.property(
        marks,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.subarray(UNITS),
        (m, share, vetoed) => {
          const rows = [
            ...rowsOf("m", m),
            ...vetoed.map((unit) => ({ unit, indicator: "v", period: "2022", value: 1 })),
          ];
          const run = scorePlan(gradePlan(share, undefined, "floor"), rows);
          if (!run.ok) throw new Error(run.error.message.en);
          const order = ["优秀", "良好", "一般"];
          const clean = run.value.units.filter((u) => u.category !== null && u.vetoes.length === 0);
          for (const a of clean) {
            for (const b of clean) {
              if (a.category === b.category && a.total > b.total) {
                expect(order.indexOf(a.grade!)).toBeLessThanOrEqual(order.indexOf(b.grade!));
              }
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("equal totals tie, however the points are split", () => {
  // Two mark items worth P points each, marked out of M: a mark a gives P * a / M points, so marks
  // (a1, a2) and (a1 + d, a2 - d) give exactly the same total, which floating point reaches by two paths.
  const plan = (points: number, markMax: number): Plan =>
    testPlan(
      [
        { code: "x", name: "x", points, rule: { type: "mark", markMax } },
        { code: "y", name: "y", points, rule: { type: "mark", markMax } },
      ],
      {
        grades: [
          { code: "优秀", minScore: 0, quota: { count: 1 } },
          { code: "良好", minScore: 0, quota: { share: 0.5 } },
          { code: "一般" },
        ],
      },
    );

  it("two units with equal totals by construction get the same total, rank and grade", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(10, 20, 30, 7),
        fc.constantFrom(3, 6, 7, 9, 11, 12, 100),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: -60, max: 60 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (points, markMax, a1, a2, d, c, e) => {
          // Marks in tenths within [0, markMax], so none is clipped: A has (x1, y1), B (x1 + d, y1 - d).
          const tenths = markMax * 10;
          const [t1, u1] = [a1 % (tenths + 1), a2 % (tenths + 1)];
          fc.pre(t1 + d >= 0 && t1 + d <= tenths && u1 - d >= 0 && u1 - d <= tenths);
          const mark = (k: number) => (k % (tenths + 1)) / 10;
          const [x1, y1, x2, y2] = [t1 / 10, u1 / 10, (t1 + d) / 10, (u1 - d) / 10];
          const rows = [
            ...rowsOf("x", { A: x1, B: x2, C: mark(c), D: mark(e) }),
            ...rowsOf("y", { A: y1, B: y2, C: mark(e), D: mark(c) }),
          ];
          const run = scorePlan(plan(points, markMax), rows);
          if (!run.ok) throw new Error(run.error.message.en);
          const [A, B] = ["A", "B"].map((code) => run.value.units.find((u) => u.unit === code)!);
          expect(A!.total).toBe(B!.total);
          expect(A!.rank).toBe(B!.rank);
          expect(A!.grade).toBe(B!.grade);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
