import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, defaultEvidence, defaultUploads, loadConfig, readAuditKey } from "./config.js";

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
    expect(loadConfig({ KAOHE_LOGINS_PER_MINUTE: "5000" }).security.loginsPerMinute).toBe(5000);
    expect(loadConfig({}).security.loginsPerMinute).toBe(20);
    expect(refusal({ KAOHE_LOGINS_PER_MINUTE: "0" })?.variable).toBe("KAOHE_LOGINS_PER_MINUTE");
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

describe("e-mail (SMTP) for notifications", () => {
  it("is off without KAOHE_SMTP_URL, and needs a From address with it", () => {
    expect(loadConfig({}).smtp).toBeNull();
    expect(
      loadConfig({
        KAOHE_SMTP_URL: "smtps://kaohe:secret@smtp.example.gov.cn:465",
        KAOHE_SMTP_FROM: "考核办 <kaohe@example.gov.cn>",
      }).smtp,
    ).toEqual({ url: "smtps://kaohe:secret@smtp.example.gov.cn:465", from: "考核办 <kaohe@example.gov.cn>" });
    expect(refusal({ KAOHE_SMTP_URL: "smtp://127.0.0.1:25" })?.variable).toBe("KAOHE_SMTP_FROM");
    expect(refusal({ KAOHE_SMTP_URL: "http://mail", KAOHE_SMTP_FROM: "a@b.cn" })?.variable).toBe(
      "KAOHE_SMTP_URL",
    );
    expect(refusal({ KAOHE_SMTP_URL: "smtp://h:25", KAOHE_SMTP_FROM: "not an address" })?.en).toContain(
      "KAOHE_SMTP_FROM",
    );
  });
});

describe("the audit key", () => {
  const keyError = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (e instanceof ConfigError) return { variable: e.variable, ...e.messages };
      throw e;
    }
    return null;
  };

  it("for the embedded database: a key file beside the data directory, created once with mode 0600", () => {
    const dir = mkdtempSync(join(tmpdir(), "kaohe-key-"));
    try {
      const config = loadConfig({ KAOHE_DATA_DIR: join(dir, "data") });
      expect(config.auditKey).toEqual({ source: "file", path: join(dir, "data.audit-key"), create: true });
      const key = readAuditKey(config.auditKey);
      expect(key.length).toBe(64);
      expect(statSync(join(dir, "data.audit-key")).mode & 0o777).toBe(0o600);
      expect(readAuditKey(config.auditKey).equals(key)).toBe(true); // read, not made again
      // A key file others can read is narrowed to its owner.
      chmodSync(join(dir, "data.audit-key"), 0o644);
      readAuditKey(config.auditKey);
      expect(statSync(join(dir, "data.audit-key")).mode & 0o777).toBe(0o600);
      // A key file given explicitly is never created.
      const missing = loadConfig({ KAOHE_AUDIT_KEY_FILE: join(dir, "nope") }).auditKey;
      expect(keyError(() => readAuditKey(missing))?.variable).toBe("KAOHE_AUDIT_KEY_FILE");
      writeFileSync(join(dir, "short"), "abc");
      expect(
        keyError(() => readAuditKey({ source: "file", path: join(dir, "short"), create: false }))?.en,
      ).toMatch(/at least 32 characters/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("for PostgreSQL it must be given; a short one is refused", () => {
    const none = loadConfig({ DATABASE_URL: "postgres://db/kaohe" }).auditKey;
    expect(none).toEqual({ source: "none" });
    expect(keyError(() => readAuditKey(none))?.en).toMatch(/the audit key is required: set KAOHE_AUDIT_KEY/);
    expect(refusal({ KAOHE_AUDIT_KEY: "short" })?.variable).toBe("KAOHE_AUDIT_KEY");
    const given = loadConfig({
      DATABASE_URL: "postgres://db/kaohe",
      KAOHE_AUDIT_KEY: "k".repeat(32),
    }).auditKey;
    expect(readAuditKey(given).toString()).toBe("k".repeat(32));
  });
});
