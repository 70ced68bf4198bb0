import { describe, expect, it } from "vitest";
import { datasetFromRows } from "../dataset.js";
import { imputePanel, type PanelSlice } from "./impute-panel.js";

const NA = Number.NaN;
// One unit, one indicator over five years: 2018 NA, 2019 10, 2020 NA, 2021 NA, 2022 40.
const series = (values: number[], times = [2018, 2019, 2020, 2021, 2022]): PanelSlice[] =>
  values.map((v, k) => ({ time: times[k] as number, data: datasetFromRows(["U"], ["x"], [[v]]) }));
const values = (slices: PanelSlice[]) => slices.map((s) => s.data.values[0]);

describe("imputePanel", () => {
  it("latest: the most recent earlier observation; nothing before the first", () => {
    const r = imputePanel(series([NA, 10, NA, NA, 40]), { method: "latest" });
    if (!r.ok) throw new Error();
    expect(values(r.value)).toEqual([NA, 10, 10, 10, 40]);
  });

  it("latest with maxTime only looks back that many time points", () => {
    const r = imputePanel(series([NA, 10, NA, NA, 40]), { method: "latest", maxTime: 1 });
    if (!r.ok) throw new Error();
    expect(values(r.value)).toEqual([NA, 10, 10, NA, 40]);
  });

  it("linear: interpolates inside, constant outside", () => {
    const r = imputePanel(series([NA, 10, NA, NA, 40]), { method: "linear" });
    if (!r.ok) throw new Error();
    expect(values(r.value)).toEqual([10, 10, 20, 30, 40]);
  });

  it("constant: a step function from the previous observation", () => {
    const r = imputePanel(series([NA, 10, NA, NA, 40]), { method: "constant" });
    if (!r.ok) throw new Error();
    expect(values(r.value)).toEqual([10, 10, 10, 10, 40]);
  });

  it("linear-constant falls back to constant with one observation; linear fails there", () => {
    const one = series([NA, NA, 7, NA, NA]);
    const lc = imputePanel(one, { method: "linear-constant" });
    if (!lc.ok) throw new Error();
    expect(values(lc.value)).toEqual([7, 7, 7, 7, 7]);
    const lin = imputePanel(one, { method: "linear" });
    expect(lin.ok).toBe(false);
    if (!lin.ok) {
      expect(lin.error.unit).toBe("U");
      expect(lin.error.indicator).toBe("x");
    }
  });

  it("uses real time gaps, not positions", () => {
    const r = imputePanel(series([0, NA, 30], [2000, 2001, 2003]), { method: "linear" });
    if (!r.ok) throw new Error();
    expect(values(r.value)).toEqual([0, 10, 30]);
  });
});
