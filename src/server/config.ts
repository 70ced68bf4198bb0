import { resolve } from "node:path";

/** Server configuration. This module is the only reader of process.env for the service. */
export interface ServerConfig {
  port: number;
  host: string;
  /** PGlite data directory (used when no databaseUrl is given). */
  dataDir: string;
  /** A PostgreSQL connection string; when set, PGlite is not used. */
  databaseUrl: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const port = overrides.port ?? Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not ${env.PORT}`);
  return {
    port,
    host: overrides.host ?? env.HOST ?? "127.0.0.1",
    dataDir: resolve(overrides.dataDir ?? env.KAOHE_DATA_DIR ?? "./data"),
    databaseUrl: overrides.databaseUrl ?? (env.DATABASE_URL || undefined),
  };
}
