import { resolve } from "node:path";

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
}

/** Spreadsheet uploads (templates, imports): the data rows one file may have (CSV or .xlsx). */
export interface UploadSettings {
  maxRows: number;
}

export const defaultUploads: UploadSettings = { maxRows: 100_000 };

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
  /** Sign-in attempts allowed per client address per minute, across all app processes. */
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

/** The configuration from the environment; a wrong value is a ConfigError that names its variable. */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    port: overrides.port ?? integerSetting(env, "PORT", 0, 65535) ?? 3000,
    host: overrides.host ?? env.HOST ?? "127.0.0.1",
    dataDir: resolve(overrides.dataDir ?? env.KAOHE_DATA_DIR ?? "./data"),
    databaseUrl: overrides.databaseUrl ?? (env.DATABASE_URL || undefined),
    security: { ...defaultSecurity, ...overrides.security },
    trustProxy: overrides.trustProxy ?? env.KAOHE_TRUST_PROXY === "1",
    evidence: overrides.evidence ?? {
      types: evidenceTypesSetting(env) ?? defaultEvidence.types,
      maxBytes: integerSetting(env, "KAOHE_EVIDENCE_MAX_BYTES", 1, 2 ** 30) ?? defaultEvidence.maxBytes,
    },
    uploads: overrides.uploads ?? {
      maxRows: integerSetting(env, "KAOHE_UPLOAD_MAX_ROWS", 1, 1_048_575) ?? defaultUploads.maxRows,
    },
  };
}
