import { describe, expect, it } from "vitest";
import type { NodeTrace } from "../../../../engine/index.js";
import { categoryPeers, largestLosses, lossTree, type Peer } from "./loss";

const text = { "zh-CN": "", en: "" };
const leaf = (node: string, points: number, max: number, extra: Partial<NodeTrace> = {}): NodeTrace => ({
  node,
  name: node,
  points,
  max,
  text,
  ...extra,
});
// As the demo's 市科技局: A3 lost 2.5 of 15, A2 scored over its full marks (a completion bonus).
const trace: NodeTrace[] = [
  {
    ...leaf("A", 37.5, 40),
    children: [leaf("A2", 20.5, 20), leaf("A3", 12.5, 15), leaf("X", 2, 0, { adjustment: true })],
  },
  leaf("B", 7.36, 8),
];
const peers: (Peer & { category: string | null })[] = [
  { unit: "kjj", name: "市科技局", category: "econ", scores: { A: 37.5, A2: 20.5, A3: 12.5, X: 2, B: 7.36 } },
  { unit: "jxj", name: "市经信局", category: "econ", scores: { A: 34.5, A2: 21, A3: 13.5, X: 4, B: 7.2 } },
  { unit: "fgw", name: "市发改委", category: "econ", scores: { A: 32.4, A2: 19.4, A3: 13.5, B: 7.12 } },
  { unit: "wjw", name: "市卫健委", category: "social", scores: { A: 40, A2: 25, A3: 15, B: 8 } },
];

describe("lossTree", () => {
  it("gives each node's loss against full marks and against the category's best, with who holds it", () => {
    const tree = lossTree(trace, categoryPeers(peers, { unit: "kjj", category: "econ" }));
    const [a, b] = tree;
    expect(a).toMatchObject({
      node: "A",
      lostToFull: 2.5,
      best: 37.5,
      bestUnits: ["市科技局"],
      lostToBest: 0,
    });
    const [a2, a3, x] = a!.children!;
    // Over full marks loses nothing; the best A2 is 市经信局's 21, half a point more.
    expect(a2).toMatchObject({ lostToFull: 0, best: 21, lostToBest: 0.5 });
    // A tie for the best names both units; 15 − 12.5 is 2.5 exactly, not 2.4999….
    expect(a3).toMatchObject({
      lostToFull: 2.5,
      best: 13.5,
      bestUnits: ["市经信局", "市发改委"],
      lostToBest: 1,
    });
    expect(x).toMatchObject({ adjustment: true, lostToFull: 0, best: null, lostToBest: null });
    // The other category's 8 is not this category's best.
    expect(b).toMatchObject({ lostToFull: 0.64, best: 7.36, lostToBest: 0 });
  });

  it("without peers' numbers, loses against full marks only", () => {
    const [a] = lossTree(trace, null);
    expect(a!.children![1]).toMatchObject({ lostToFull: 2.5, best: null, lostToBest: null, bestUnits: [] });
  });

  it("ranks the leaves by the points lost, adjustments and no-loss leaves left out", () => {
    const tree = lossTree(trace, categoryPeers(peers, { unit: "kjj", category: "econ" }));
    expect(largestLosses(tree, "lostToFull").map((n) => [n.node, n.lostToFull])).toEqual([
      ["A3", 2.5],
      ["B", 0.64],
    ]);
    expect(largestLosses(tree, "lostToBest").map((n) => [n.node, n.lostToBest])).toEqual([
      ["A3", 1],
      ["A2", 0.5],
    ]);
  });

  it("compares a unit ranked apart with nobody but itself", () => {
    expect(categoryPeers(peers, { unit: "wjw", category: null }).map((p) => p.unit)).toEqual(["wjw"]);
  });
});
