import { describe, expect, it } from "vitest";
import { rank } from "./rank.js";

const scores = [10, 30, 20, 30, Number.NaN, 5];

describe("rank", () => {
  it("min ties, highest first (score ranks)", () => {
    expect([...rank(scores, { descending: true })]).toEqual([4, 1, 3, 1, Number.NaN, 5]);
  });
  it("dense and ordinal ties", () => {
    expect([...rank(scores, { descending: true, ties: "dense" })]).toEqual([3, 1, 2, 1, Number.NaN, 4]);
    expect([...rank(scores, { descending: true, ties: "ordinal" })]).toEqual([4, 1, 3, 2, Number.NaN, 5]);
  });
  it("ascending ranks (for the rank normaliser)", () => {
    expect([...rank(scores)]).toEqual([2, 4, 3, 4, Number.NaN, 1]);
  });
  it("treats -0 and 0 as a tie", () => {
    expect([...rank([0, -0, 1], { descending: true })]).toEqual([2, 2, 1]);
  });
});
