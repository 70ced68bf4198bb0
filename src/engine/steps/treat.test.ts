import { describe, expect, it } from "vitest";
import { datasetFromRows } from "../dataset.js";
import { skewKurt } from "../stats/moments.js";
import { treat } from "./treat.js";

const column = (values: number[]) =>
  datasetFromRows(
    values.map((_, i) => `U${String(i).padStart(2, "0")}`),
    ["x"],
    values.map((v) => [v]),
  );

describe("treat", () => {
  it("leaves a well-behaved indicator alone", () => {
    const r = treat(column([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(r.details[0]?.check0?.pass).toBe(true);
    expect(r.details[0]?.nwin).toBeNull();
    expect([...r.data.values]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("winsorises a single high outlier to the next value and marks it", () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 200];
    const r = treat(column(values));
    const d = r.details[0]!;
    expect(d.check0?.pass).toBe(false);
    expect(d.nwin).toBe(1);
    expect(d.check1?.pass).toBe(true);
    expect(r.data.values[19]).toBe(19);
    expect(r.points[0]?.[19]).toBe("winhi");
    expect(r.points[0]?.filter((p) => p !== "")).toHaveLength(1);
  });

  it("falls back to log_CT on the original values when winsorising is not enough", () => {
    // A long exponential tail: five points of winsorising cannot fix it.
    const values = Array.from({ length: 30 }, (_, i) => Math.exp(i / 1.5));
    const r = treat(column(values), { winmax: 2 });
    const d = r.details[0]!;
    expect(d.check1?.pass).toBe(false);
    expect(d.transform).toBe("log_CT");
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    values.forEach((v, i) => {
      expect(r.data.values[i]).toBeCloseTo(Math.log(v - lo + 0.01 * (hi - lo)), 12);
    });
    expect(d.check2?.skew).toBeCloseTo(skewKurt(r.data.values).skew, 12);
    expect(r.points[0]?.every((p) => p === "log_CT")).toBe(true);
  });

  it("Box-Cox as the fallback", () => {
    const values = Array.from({ length: 30 }, (_, i) => Math.exp(i / 2.5));
    const r = treat(column(values), { winmax: 0, fallback: "boxcox", lambda: 0 });
    const lo = Math.min(...values);
    expect(r.details[0]?.transform).toBe("boxcox");
    expect(r.data.values[5]).toBeCloseTo(Math.log((values[5] as number) - lo + 1), 12);
  });

  it("winsorises low outliers (negative skew) with winlo", () => {
    const values = [-300, ...Array.from({ length: 19 }, (_, i) => i + 1)];
    const r = treat(column(values));
    expect(r.data.values[0]).toBe(1);
    expect(r.points[0]?.[0]).toBe("winlo");
  });

  it("'none' excludes an indicator; too few values leave it untreated", () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 200];
    const r = treat(column(values), { indicators: { x: "none" } });
    expect(r.data.values[19]).toBe(200);
    expect(r.details[0]?.check0).toBeNull();
    const tiny = treat(column([1, 1000]));
    expect(tiny.details[0]?.check0?.pass).toBeNull();
    expect([...tiny.data.values]).toEqual([1, 1000]);
  });
});
