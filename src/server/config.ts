import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** Server configuration. This module is the only reader of process.env for the service. */
export interface ServerConfig {
  port: number;
  host: string;
  /** PGlite data directory (used when no databaseUrl is given). */
  dataDir: string;
  /** A PostgreSQL connection string; when set, PGlite is not used. */
  databaseUrl: string | undefined;
  security: SecuritySettings;
  /** Trust X-Forwarded-* headers (only behind a reverse proxy that sets them). */
  trustProxy: boolean;
  evidence: EvidenceSettings;
  uploads: UploadSettings;
  /** Where the audit trail's MAC key comes from (never from the database): see readAuditKey. */
  auditKey: AuditKeySetting;
  /** E-mail for notifications; null: in-app notifications only. */
  smtp: SmtpSettings | null;
  /** How long a running job may go without a heartbeat before another process takes it over (KAOHE_JOB_STALE_MS). */
  jobStaleMs: number;
}

/**
 * The SMTP server notifications are sent through: KAOHE_SMTP_URL (smtp://host:587 with STARTTLS when
 * offered, smtps://host:465, credentials as user:password@) and KAOHE_SMTP_FROM (the From address).
 */
export interface SmtpSettings {
  url: string;
  from: string;
}

function smtpSetting(env: NodeJS.ProcessEnv): SmtpSettings | null {
  const url = env.KAOHE_SMTP_URL;
  if (url === undefined || url === "") return null;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !["smtp:", "smtps:"].includes(parsed.protocol) || !parsed.hostname)
    throw new ConfigError("KAOHE_SMTP_URL", {
      "zh-CN":
        "环境变量 KAOHE_SMTP_URL 应为 smtp://主机:端口 或 smtps://主机:端口 形式的地址（账号密码写作 用户名:密码@）",
      en: "KAOHE_SMTP_URL must be an address like smtp://host:port or smtps://host:port (credentials as user:password@)",
    });
  const from = env.KAOHE_SMTP_FROM;
  if (!from || !/^[^\s@<>]+@[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+>$/.test(from.trim()))
    throw new ConfigError("KAOHE_SMTP_FROM", {
      "zh-CN":
        "设置了 KAOHE_SMTP_URL 时必须用 KAOHE_SMTP_FROM 给出发件地址（例如 考核办 <kaohe@example.gov.cn>）",
      en: "with KAOHE_SMTP_URL, KAOHE_SMTP_FROM must give the From address (e.g. Assessment Office <kaohe@example.gov.cn>)",
    });
  return { url, from: from.trim() };
}

/** Spreadsheet uploads (templates, imports): the data rows one file may have (CSV or .xlsx). */
export interface UploadSettings {
  maxRows: number;
}

export const defaultUploads: UploadSettings = { maxRows: 100_000 };

/**
 * The key of the audit trail's keyed chain: KAOHE_AUDIT_KEY (the key itself, at least 32 characters),
 * or KAOHE_AUDIT_KEY_FILE (a file holding it), or, for the embedded database only, a key file beside
 * the data directory (`<dataDir>.audit-key`), created with mode 0600 on first start.
 */
export type AuditKeySetting =
  | { source: "KAOHE_AUDIT_KEY"; key: string }
  | { source: "file"; path: string; create: boolean }
  | { source: "none" };

const MIN_AUDIT_KEY_LENGTH = 32;

/** Evidence files: which kinds are accepted (detected from the bytes) and how large they may be. */
export interface EvidenceSettings {
  types: EvidenceType[];
  maxBytes: number;
}

export const evidenceTypes = ["pdf", "png", "jpeg", "xlsx", "docx", "ofd"] as const;
export type EvidenceType = (typeof evidenceTypes)[number];
export const defaultEvidence: EvidenceSettings = { types: [...evidenceTypes], maxBytes: 20 * 1024 * 1024 };

export interface SecuritySettings {
  /** A session ends after this long without a request. */
  idleTimeoutMs: number;
  /** ... and in any case this long after sign-in. */
  sessionLifetimeMs: number;
  /**
   * Sign-in throttling (docs/security.md): after this many failed sign-ins in a row for an account from
   * one address, that address must wait before its next attempt for the account ...
   */
  throttleAfter: number;
  /** ... first this long, doubled after every further failure ... */
  throttleBaseMs: number;
  /** ... up to this long. */
  throttleMaxMs: number;
  /**
   * After this many failed sign-ins in a row for an account from all addresses together, attempts from
   * addresses that never signed in to it wait `accountThrottleMs` after the account's last attempt
   * (a modest account-wide throttle against guessing from many addresses).
   */
  accountThrottleAfter: number;
  accountThrottleMs: number;
  /**
   * Sign-in attempts allowed per client address per minute, across all app processes
   * (KAOHE_LOGINS_PER_MINUTE: raise it where many people sign in from one address, e.g. an office
   * behind one NAT address at the deadline).
   */
  loginsPerMinute: number;
}

export const defaultSecurity: SecuritySettings = {
  idleTimeoutMs: 30 * 60_000,
  sessionLifetimeMs: 12 * 3600_000,
  throttleAfter: 5,
  throttleBaseMs: 60_000,
  throttleMaxMs: 60 * 60_000,
  accountThrottleAfter: 50,
  accountThrottleMs: 5_000,
  loginsPerMinute: 20,
};

/** A setting with a wrong value: names the variable, in both languages. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly messages: { "zh-CN": string; en: string },
  ) {
    super(messages.en);
  }
}

/** A whole number from the environment, within bounds, or a ConfigError naming the variable. */
function integerSetting(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const text = env[name];
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ConfigError(name, {
      "zh-CN": `环境变量 ${name} 应为 ${min} 到 ${max} 之间的整数，而不是“${text}”`,
      en: `${name} must be a whole number from ${min} to ${max}, not "${text}"`,
    });
  return value;
}

function evidenceTypesSetting(env: NodeJS.ProcessEnv): EvidenceType[] | undefined {
  const text = env.KAOHE_EVIDENCE_TYPES;
  if (text === undefined || text === "") return undefined;
  const types = text.split(",").map((t) => t.trim().toLowerCase());
  const unknown = types.find((t) => !(evidenceTypes as readonly string[]).includes(t));
  if (unknown !== undefined)
    throw new ConfigError("KAOHE_EVIDENCE_TYPES", {
      "zh-CN": `环境变量 KAOHE_EVIDENCE_TYPES 中的“${unknown}”不是可接受的文件类型（可选：${evidenceTypes.join("、")}）`,
      en: `"${unknown}" in KAOHE_EVIDENCE_TYPES is not a file type kaohe accepts (one of ${evidenceTypes.join(", ")})`,
    });
  return types as EvidenceType[];
}

function auditKeySetting(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  databaseUrl: string | undefined,
): AuditKeySetting {
  const key = env.KAOHE_AUDIT_KEY;
  if (key !== undefined && key !== "") {
    if (key.length < MIN_AUDIT_KEY_LENGTH)
      throw new ConfigError("KAOHE_AUDIT_KEY", {
        "zh-CN": `环境变量 KAOHE_AUDIT_KEY 至少应有 ${MIN_AUDIT_KEY_LENGTH} 个字符（例如 openssl rand -hex 32 的输出）`,
        en: `KAOHE_AUDIT_KEY must have at least ${MIN_AUDIT_KEY_LENGTH} characters (e.g. the output of openssl rand -hex 32)`,
      });
    return { source: "KAOHE_AUDIT_KEY", key };
  }
  const file = env.KAOHE_AUDIT_KEY_FILE;
  if (file !== undefined && file !== "") return { source: "file", path: resolve(file), create: false };
  if (databaseUrl) return { source: "none" };
  return { source: "file", path: join(dirname(dataDir), `${basename(dataDir)}.audit-key`), create: true };
}

/**
 * The audit key's bytes. A missing key file is created (random, mode 0600) only for the embedded
 * default; several processes sharing PostgreSQL must be given the same key, so there it is required.
 */
export function readAuditKey(setting: AuditKeySetting): Buffer {
  if (setting.source === "KAOHE_AUDIT_KEY") return Buffer.from(setting.key, "utf8");
  if (setting.source === "none")
    throw new ConfigError("KAOHE_AUDIT_KEY", {
      "zh-CN":
        "使用 PostgreSQL（DATABASE_URL）时必须提供审计密钥：设置 KAOHE_AUDIT_KEY 或 KAOHE_AUDIT_KEY_FILE（所有服务进程使用同一密钥，且不得存入数据库）",
      en: "with PostgreSQL (DATABASE_URL) the audit key is required: set KAOHE_AUDIT_KEY or KAOHE_AUDIT_KEY_FILE (the same key for every app process, never stored in the database)",
    });
  if (setting.create && !existsSync(setting.path)) {
    try {
      // "wx": two processes starting at once cannot both create it; the loser reads the winner's key.
      writeFileSync(setting.path, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  let text: string;
  try {
    text = readFileSync(setting.path, "utf8").trim();
  } catch (e) {
    throw new ConfigError("KAOHE_AUDIT_KEY_FILE", {
      "zh-CN": `无法读取审计密钥文件 ${setting.path}（${(e as Error).message}）`,
      en: `cannot read the audit key file ${setting.path} (${(e as Error).message})`,
    });
  }
  if (text.length < MIN_AUDIT_KEY_LENGTH)
    throw new ConfigError("KAOHE_AUDIT_KEY_FILE", {
      "zh-CN": `审计密钥文件 ${setting.path} 中的密钥至少应有 ${MIN_AUDIT_KEY_LENGTH} 个字符`,
      en: `the key in the audit key file ${setting.path} must have at least ${MIN_AUDIT_KEY_LENGTH} characters`,
    });
  // A key others can read is not a secret: keep it to its owner (where the file system has modes).
  if (process.platform !== "win32" && (statSync(setting.path).mode & 0o077) !== 0)
    chmodSync(setting.path, 0o600);
  return Buffer.from(text, "utf8");
}

/** The configuration from the environment; a wrong value is a ConfigError that names its variable. */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const dataDir = resolve(overrides.dataDir ?? env.KAOHE_DATA_DIR ?? "./data");
  const databaseUrl = overrides.databaseUrl ?? (env.DATABASE_URL || undefined);
  return {
    port: overrides.port ?? integerSetting(env, "PORT", 0, 65535) ?? 3000,
    host: overrides.host ?? env.HOST ?? "127.0.0.1",
    dataDir,
    databaseUrl,
    auditKey: overrides.auditKey ?? auditKeySetting(env, dataDir, databaseUrl),
    security: {
      ...defaultSecurity,
      loginsPerMinute:
        integerSetting(env, "KAOHE_LOGINS_PER_MINUTE", 1, 1_000_000) ?? defaultSecurity.loginsPerMinute,
      ...overrides.security,
    },
    trustProxy: overrides.trustProxy ?? env.KAOHE_TRUST_PROXY === "1",
    evidence: overrides.evidence ?? {
      types: evidenceTypesSetting(env) ?? defaultEvidence.types,
      maxBytes: integerSetting(env, "KAOHE_EVIDENCE_MAX_BYTES", 1, 2 ** 30) ?? defaultEvidence.maxBytes,
    },
    uploads: overrides.uploads ?? {
      maxRows: integerSetting(env, "KAOHE_UPLOAD_MAX_ROWS", 1, 1_048_575) ?? defaultUploads.maxRows,
    },
    smtp: overrides.smtp !== undefined ? overrides.smtp : smtpSetting(env),
    jobStaleMs: overrides.jobStaleMs ?? integerSetting(env, "KAOHE_JOB_STALE_MS", 1000, 86_400_000) ?? 60_000,
  };
}
