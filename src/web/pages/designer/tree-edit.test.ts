import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type DataRow, type Plan, planSchema, scorePlan } from "../../../engine/index.js";
import { emptyPlan, keyOfCode, locate, toDesigner, toPlan } from "./state";
import { treeSums } from "./sums";
import {
  addNode,
  dropMove,
  indentNode,
  moveNode,
  outdentNode,
  removeNode,
  shiftNode,
  updateNode,
} from "./tree-edit";

const examples = join(import.meta.dirname, "..", "..", "..", "..", "examples");
const load = (name: string) =>
  planSchema.parse(JSON.parse(readFileSync(join(examples, name, "plan.json"), "utf8"))) as Plan;
/** The example's values.csv as data rows (unit, indicator, period, value, and level/reviewer when given). */
function rows(name: string): DataRow[] {
  const [head, ...lines] = readFileSync(join(examples, name, "values.csv"), "utf8")
    .trim()
    .split(/\r?\n/);
  const cols = head!.split(",");
  return lines.map((line) => {
    const cells = line.split(",");
    const row: Record<string, string | number> = {};
    cols.forEach((c, i) => {
      if (cells[i] !== undefined && cells[i] !== "") row[c] = c === "value" ? Number(cells[i]) : cells[i]!;
    });
    return row as unknown as DataRow;
  });
}
const codes = (p: Plan): unknown =>
  p.indicators.map(function walk(n): unknown {
    return n.children ? [n.code, n.children.map(walk)] : n.code;
  });

describe("the designer's state", () => {
  for (const name of ["city-departments", "province-cities", "county-districts", "city-scheme"]) {
    it(`${name}: plan -> designer -> plan is the same document, and scores the same`, () => {
      const plan = load(name);
      const back = toPlan(toDesigner(plan));
      expect(back).toStrictEqual(plan);
      const data = rows(name);
      const a = scorePlan(plan, data);
      const b = scorePlan(back, data);
      expect(a.ok, a.ok ? "" : a.error.message.en).toBe(true);
      expect(b).toEqual(a);
    });
  }
});

describe("tree editing", () => {
  const start = () => toDesigner(emptyPlan("p", "方案", "2026"));

  it("adds children, strips the parent's rule and sums at every node", () => {
    let s = start();
    const a = s.roots[0]!;
    const one = addNode(s, a);
    s = addNode(one.state, a).state;
    const plan = toPlan(s);
    expect(plan.indicators[0]!.rule).toBeUndefined();
    expect(codes(plan)).toEqual([["A", ["A_1", "A_2"]]]);
    let sums = treeSums(s);
    expect(sums.nodes[a]).toMatchObject({ points: 100, childPoints: 20, mismatch: true });
    expect(sums.nodes[one.key]).toMatchObject({ points: 10, childPoints: null, mismatch: false });
    s = updateNode(s, one.key, { points: 90 });
    sums = treeSums(s);
    expect(sums.nodes[a]).toMatchObject({ childPoints: 100, mismatch: false });
    expect(sums.top).toEqual({ points: 100, total: null, mismatch: false });
    s = { ...s, plan: { ...s.plan, pointsTotal: 120 } };
    expect(treeSums(s).top.mismatch).toBe(true);
  });

  it("resolves weight-only children from the parent's points, and flags a weighted child without weight", () => {
    let s = start();
    const a = s.roots[0]!;
    const x = addNode(s, a, { code: "X", name: "x", weight: 3, rule: { type: "mark" } });
    const y = addNode(x.state, a, { code: "Y", name: "y", weight: 1, rule: { type: "mark" } });
    s = y.state;
    let sums = treeSums(s);
    expect(sums.nodes[x.key]).toMatchObject({ points: 75, derived: true });
    expect(sums.nodes[y.key]!.points).toBe(25);
    expect(sums.nodes[a]).toMatchObject({ childPoints: 100, childWeights: 4, mismatch: false });
    s = updateNode(s, a, { combine: "weighted" });
    s = updateNode(s, y.key, { weight: undefined, points: 100 });
    sums = treeSums(s);
    expect(sums.nodes[a]).toMatchObject({ combine: "weighted", weightMissing: true, mismatch: false });
    expect("weight" in s.nodes[y.key]!.spec).toBe(false);
  });

  it("removes, reorders, indents and outdents, never into a node's own subtree", () => {
    let s = start();
    const a = s.roots[0]!;
    const b = addNode(s, null, { code: "B", name: "b", points: 10, rule: { type: "yesno" } });
    s = b.state;
    const a1 = addNode(s, a);
    s = a1.state;
    expect(codes(toPlan(shiftNode(s, b.key, -1)))).toEqual(["B", ["A", ["A_1"]]]);
    expect(shiftNode(s, a, -1)).toBe(s);
    // B under A (after A_1), then back out after A.
    const indented = indentNode(s, b.key);
    expect(codes(toPlan(indented))).toEqual([["A", ["A_1", "B"]]]);
    expect(locate(indented, b.key)).toEqual({ parent: a, index: 1 });
    expect(codes(toPlan(outdentNode(indented, b.key)))).toEqual([["A", ["A_1"]], "B"]);
    // A into its own child: refused.
    expect(moveNode(s, a, a1.key, 0)).toBe(s);
    // Removing A's only child makes A a leaf again (no children key).
    const removed = removeNode(s, a1.key);
    expect(toPlan(removed).indicators[0]!.children).toBeUndefined();
    expect(Object.keys(removeNode(s, a).nodes)).toEqual([b.key]);
    expect(keyOfCode(s, "A_1")).toBe(a1.key);
  });

  it("takes antd Tree's drops: onto a node, before and after it", () => {
    let s = start();
    const a = s.roots[0]!;
    const b = addNode(s, null, { code: "B", name: "b", points: 10, rule: { type: "yesno" } });
    const c = addNode(b.state, null, { code: "C", name: "c", points: 10, rule: { type: "yesno" } });
    s = c.state;
    // C dropped onto A: A's first child.
    expect(
      codes(toPlan(dropMove(s, { dragKey: c.key, dropKey: a, dropPosition: 0, dropToGap: false }))),
    ).toEqual([["A", ["C"]], "B"]);
    // C dropped in the gap before A (A is at 0: antd says -1).
    expect(
      codes(toPlan(dropMove(s, { dragKey: c.key, dropKey: a, dropPosition: -1, dropToGap: true }))),
    ).toEqual(["C", "A", "B"]);
    // A dropped after B (B at 1: antd says 2).
    expect(
      codes(toPlan(dropMove(s, { dragKey: a, dropKey: b.key, dropPosition: 2, dropToGap: true }))),
    ).toEqual(["B", "A", "C"]);
  });
});
