import { describe, expect, it } from "vitest";
import { ConfigError, defaultEvidence, defaultUploads, loadConfig } from "./config.js";

const refusal = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return { variable: e.variable, ...e.messages };
    throw e;
  }
  return null;
};

describe("loadConfig", () => {
  it("reads the settings, with defaults", () => {
    const config = loadConfig({
      PORT: "8080",
      KAOHE_EVIDENCE_TYPES: "pdf, OFD",
      KAOHE_EVIDENCE_MAX_BYTES: "1048576",
    });
    expect(config.port).toBe(8080);
    expect(config.evidence).toEqual({ types: ["pdf", "ofd"], maxBytes: 1048576 });
    expect(loadConfig({}).port).toBe(3000);
    expect(loadConfig({}).evidence).toEqual(defaultEvidence);
    expect(loadConfig({ KAOHE_UPLOAD_MAX_ROWS: "5000" }).uploads).toEqual({ maxRows: 5000 });
    expect(loadConfig({}).uploads).toEqual(defaultUploads);
    expect(defaultUploads.maxRows).toBe(100_000);
  });

  it("refuses a wrong value, naming the variable, instead of running with a broken limit", () => {
    expect(refusal({ KAOHE_EVIDENCE_MAX_BYTES: "20MB" })).toEqual({
      variable: "KAOHE_EVIDENCE_MAX_BYTES",
      "zh-CN": "环境变量 KAOHE_EVIDENCE_MAX_BYTES 应为 1 到 1073741824 之间的整数，而不是“20MB”",
      en: 'KAOHE_EVIDENCE_MAX_BYTES must be a whole number from 1 to 1073741824, not "20MB"',
    });
    expect(refusal({ KAOHE_EVIDENCE_TYPES: "pdf,doc" })?.en).toBe(
      '"doc" in KAOHE_EVIDENCE_TYPES is not a file type kaohe accepts (one of pdf, png, jpeg, xlsx, docx, ofd)',
    );
    expect(refusal({ PORT: "70000" })?.variable).toBe("PORT");
    expect(refusal({ KAOHE_UPLOAD_MAX_ROWS: "0" })?.en).toBe(
      'KAOHE_UPLOAD_MAX_ROWS must be a whole number from 1 to 1048575, not "0"',
    );
  });
});
