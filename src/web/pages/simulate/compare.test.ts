import { describe, expect, it } from "vitest";
import { exampleInputs } from "../../../../test/helpers/example-inputs.js";
import { createScorer, scorePlan } from "../../../engine/index.js";
import { simulate, withGrade, withPoints, withValue } from "./compare";

const { plan, rows } = exampleInputs();
const scored = scorePlan(plan, rows, { explain: [] });
if (!scored.ok) throw new Error(scored.error.message.en);
const official = scored.value;

describe("the simulator's comparison", () => {
  it("moves nothing without changes: every unit as the official run has it", () => {
    const s = simulate({ plan, rows }, official, {});
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.moved).toBe(0);
    expect(s.units).toHaveLength(official.units.length);
    for (const u of s.units) {
      expect(u.simulated).toEqual(u.official);
      expect(u.places === null || u.places === 0).toBe(true);
    }
  });

  it("marks the units a change moves, with the places they gained or lost", () => {
    // kjj's A1 value falls to nothing: its total drops and another unit may pass it.
    const s = simulate({ plan, rows }, official, {
      values: [{ unit: "kjj", indicator: "A1", period: "2022", value: 0 }],
    });
    if (!s.ok) throw new Error(s.error.message.en);
    const kjj = s.units.find((u) => u.unit === "kjj")!;
    expect(kjj.moved).toBe(true);
    expect(kjj.simulated.total).toBeLessThan(kjj.official.total);
    expect(s.moved).toBeGreaterThanOrEqual(1);
    for (const u of s.units) if (u.places !== null && u.places !== 0) expect(u.moved).toBe(true);
    const gained = s.units.reduce((sum, u) => sum + (u.places ?? 0), 0);
    expect(gained).toBe(0); // places gained in a category are places lost by others
  });

  it("scores the same with the incremental scorer, change after change", () => {
    const created = createScorer(plan, rows);
    if (!created.ok) throw new Error(created.error.message.en);
    const first = plan.indicators[0]!;
    const scenarios = [
      {},
      { values: [{ unit: "kjj", indicator: "A1", period: "2022", value: 0 }] },
      { weights: { [first.code]: (first.weight ?? first.points ?? 1) * 1.5 } },
      { values: [{ unit: "kjj", indicator: "A1", period: "2022", value: null }] },
      {},
    ];
    for (const changes of scenarios) {
      const alone = simulate({ plan, rows }, official, changes, () => 0);
      const incremental = simulate({ plan, rows }, official, changes, () => 0, created.value);
      if (!alone.ok || !incremental.ok) throw new Error("a scenario failed");
      expect(incremental.units).toEqual(alone.units);
      expect(incremental.moved).toBe(alone.moved);
      expect(Array.from(incremental.scores.totals)).toEqual(Array.from(alone.scores.totals));
      expect(incremental.scores.tree.nodeScores).toEqual(alone.scores.tree.nodeScores);
      expect(incremental.scores.graded).toEqual(alone.scores.graded);
    }
  });

  it("says why a scenario cannot be scored, and how long it took", () => {
    let t = 0;
    const s = simulate({ plan, rows }, official, { points: { NOPE: 3 } }, () => (t += 2.5));
    expect(s.ok).toBe(false);
    expect(s.ms).toBe(2.5);
    if (!s.ok) expect(s.error.indicator).toBe("NOPE");
  });

  it("keeps only what differs from the run: an edit undone leaves no change", () => {
    const a = withPoints({}, "points", "A1", 30, 25);
    expect(a).toEqual({ points: { A1: 30 } });
    expect(withPoints(a, "points", "A1", 25, 25)).toEqual({});
    const g = withGrade({}, "优秀", "share", 0.3, 0.4);
    expect(g).toEqual({ grades: { 优秀: { share: 0.3 } } });
    expect(withGrade(g, "优秀", "share", 0.4, 0.4)).toEqual({});
    const row = { unit: "kjj", indicator: "A1", period: "2022" };
    const v = withValue({}, row, 20, 24);
    expect(v.values).toEqual([{ ...row, value: 20 }]);
    expect(withValue(v, row, 24, 24)).toEqual({});
    expect(withValue(v, row, null, 24).values).toEqual([{ ...row, value: null }]);
  });
});
