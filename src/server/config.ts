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
}

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
  /** Failed sign-ins in a row before an account locks ... */
  lockoutAfter: number;
  /** ... for this long. */
  lockoutMs: number;
  /** Sign-in attempts allowed per client address per minute, across all app processes. */
  loginsPerMinute: number;
}

export const defaultSecurity: SecuritySettings = {
  idleTimeoutMs: 30 * 60_000,
  sessionLifetimeMs: 12 * 3600_000,
  lockoutAfter: 5,
  lockoutMs: 15 * 60_000,
  loginsPerMinute: 20,
};

export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const port = overrides.port ?? Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not ${env.PORT}`);
  return {
    port,
    host: overrides.host ?? env.HOST ?? "127.0.0.1",
    dataDir: resolve(overrides.dataDir ?? env.KAOHE_DATA_DIR ?? "./data"),
    databaseUrl: overrides.databaseUrl ?? (env.DATABASE_URL || undefined),
    security: { ...defaultSecurity, ...overrides.security },
    trustProxy: overrides.trustProxy ?? env.KAOHE_TRUST_PROXY === "1",
    evidence: overrides.evidence ?? {
      types: env.KAOHE_EVIDENCE_TYPES
        ? (env.KAOHE_EVIDENCE_TYPES.split(",").filter((t) =>
            (evidenceTypes as readonly string[]).includes(t),
          ) as EvidenceType[])
        : defaultEvidence.types,
      maxBytes: env.KAOHE_EVIDENCE_MAX_BYTES
        ? Number(env.KAOHE_EVIDENCE_MAX_BYTES)
        : defaultEvidence.maxBytes,
    },
  };
}
