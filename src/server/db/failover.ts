/**
 * PostgreSQL with several hosts (a primary and its standbys, e.g. a pg_auto_failover formation), for
 * node-postgres, which connects to one host only. DATABASE_URL may name several hosts the way libpq
 * does — `postgres://user@db1:5432,db2:5432/kaohe?target_session_attrs=read-write`, which is what
 * `pg_autoctl show uri --formation default` prints — and every new pool connection then goes to the
 * host that accepts writes: the one last found read-write is tried first, otherwise all are probed
 * (`SHOW transaction_read_only`, as libpq's target_session_attrs=read-write does; it is `on` on a standby
 * and on a standby pg_auto_failover is still promoting). A connection that finds its server gone, shut
 * down or read-only is dropped from the pool and the next one looks again, so after a failover the app
 * follows the new primary by itself. The request caught in between fails cleanly: see
 * `isDatabaseUnavailable` (a 503 problem document, src/server/plugins/problem-details.ts).
 * docs/deployment.md, "PostgreSQL failover".
 */
import pg from "pg";

export interface DatabaseHost {
  host: string;
  port: number;
}

/**
 * The hosts of a connection string, and the same string with the first host only (what node-postgres
 * and pg-connection-string understand). A single-host URL gives one host and the URL unchanged.
 * Hosts are `name`, `name:port`, `[v6]` or `[v6]:port`; a host without a port takes 5432.
 */
export function parseHosts(url: string): { hosts: DatabaseHost[]; singleHostUrl: string } {
  const match = /^(postgres(?:ql)?:\/\/)([^/?#]*)(.*)$/s.exec(url);
  if (!match) return { hosts: [], singleHostUrl: url };
  const [, scheme, authority, rest] = match as unknown as [string, string, string, string];
  const at = authority.lastIndexOf("@");
  const userinfo = at >= 0 ? authority.slice(0, at + 1) : "";
  const hostList = at >= 0 ? authority.slice(at + 1) : authority;
  const hosts: DatabaseHost[] = [];
  for (const part of hostList.split(",")) {
    if (part === "") continue;
    const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(part);
    const named = /^([^:[\]]+)(?::(\d*))?$/.exec(part);
    const [host, port] = v6 ? [v6[1]!, v6[2]] : named ? [decodeURIComponent(named[1]!), named[2]] : [];
    if (host === undefined)
      throw new Error(`DATABASE_URL: "${part}" is not a host or host:port (hosts are separated by commas)`);
    const portNumber = port ? Number(port) : 5432;
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535)
      throw new Error(`DATABASE_URL: "${part}" has no valid port`);
    hosts.push({ host, port: portNumber });
  }
  if (hosts.length <= 1) return { hosts, singleHostUrl: url };
  const first = hostList.split(",").find((p) => p !== "")!;
  return { hosts, singleHostUrl: `${scheme}${userinfo}${first}${rest}` };
}

/** SQLSTATEs after which this connection, or this server, cannot take the request: try again elsewhere. */
const unavailableStates = new Set([
  "57P01", // admin_shutdown: terminating connection due to administrator command (a fast shutdown, a failover)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up, shutting down, in recovery
  "25006", // read_only_sql_transaction: a standby, or a promoted one not yet opened for writes
  "53300", // too_many_connections
]);
/** Node's socket errors when the server is unreachable or went away. */
const unavailableSockets = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
/** node-postgres's own messages for a connection that died or could not be made. */
const unavailableMessages = [
  /^Connection terminated/,
  /not queryable/,
  /^timeout expired$/,
  /^timeout exceeded when trying to connect$/,
  /^no read-write database host/,
];

/** Marks an error raised here (no read-write host found). */
export class NoReadWriteHostError extends Error {
  readonly code = "KAOHE_NO_READ_WRITE_HOST";
}

/**
 * Whether an error (or what it wraps: drizzle puts the driver's error in `cause`) says the database
 * could not be reached or cannot take writes right now — a failover, a restart — rather than anything
 * about the request. Such a request changed nothing (its transaction never committed, or committed
 * and is found by the retry), so the client may send it again.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string") {
      if (unavailableStates.has(code) || code.startsWith("08") || unavailableSockets.has(code)) return true;
      if (code === "KAOHE_NO_READ_WRITE_HOST") return true;
    }
    if (typeof message === "string" && unavailableMessages.some((m) => m.test(message))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Which host currently takes writes. The one last found is asked again first (a new pool connection is
 * rare: this costs one short connection more), so that after a failover the first new connection goes
 * straight to the new primary instead of failing on the old one; when it no longer answers read-write,
 * every host is asked. Callers at the same moment share one round of questions.
 */
export class PrimaryLocator {
  private current: DatabaseHost | undefined;
  private probing: Promise<DatabaseHost> | undefined;

  constructor(
    readonly hosts: DatabaseHost[],
    private readonly probe: (host: DatabaseHost) => Promise<"read-write" | "read-only">,
  ) {}

  /** The host to connect to now. */
  async primary(): Promise<DatabaseHost> {
    this.probing ??= this.locate().finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }

  /** The host turned out unreachable or read-only: do not ask it first next time. */
  forget(host: DatabaseHost): void {
    if (this.current && this.current.host === host.host && this.current.port === host.port)
      this.current = undefined;
  }

  private async locate(): Promise<DatabaseHost> {
    const last = this.current;
    if (last && (await this.probe(last).catch(() => undefined)) === "read-write") return last;
    this.current = undefined;
    return this.find();
  }

  private async find(): Promise<DatabaseHost> {
    const answers = await Promise.all(
      this.hosts.map((h) =>
        this.probe(h).then(
          (kind) => ({ kind, error: undefined }),
          (error: unknown) => ({ kind: undefined, error }),
        ),
      ),
    );
    const index = answers.findIndex((a) => a.kind === "read-write");
    if (index < 0) {
      const seen = answers
        .map(
          (a, k) =>
            `${this.hosts[k]!.host}:${this.hosts[k]!.port} ${a.kind ?? (a.error as Error)?.message ?? "?"}`,
        )
        .join("; ");
      throw new NoReadWriteHostError(`no read-write database host (${seen})`);
    }
    this.current = this.hosts[index]!;
    return this.current;
  }
}

/** A node-postgres client for `url` (its user, password, database, TLS...) aimed at one of its hosts. */
function clientFor(url: string, host: DatabaseHost, timeoutMs: number): pg.Client {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  aim(client, host);
  return client;
}

/** node-postgres reads these when it opens the socket (Client#_connect); the URL has set everything else. */
function aim(client: pg.Client, host: DatabaseHost) {
  const target = client as unknown as { host: string; port: number };
  target.host = host.host;
  target.port = host.port;
}

/** Asks one host whether it takes writes, on a short-lived connection. */
export function probeHost(url: string, timeoutMs: number) {
  return async (host: DatabaseHost): Promise<"read-write" | "read-only"> => {
    const client = clientFor(url, host, timeoutMs);
    client.on("error", () => {});
    try {
      await client.connect();
      const result = await client.query<{ transaction_read_only: string }>("SHOW transaction_read_only");
      return result.rows[0]?.transaction_read_only === "off" ? "read-write" : "read-only";
    } finally {
      await client.end().catch(() => {});
    }
  };
}

/**
 * A pool over several hosts: each new connection asks the locator for the primary and checks, once
 * connected, that it takes writes; a connection that fails or whose query says the server is gone or
 * read-only is closed when released (never handed out again) and the locator looks again.
 */
export function multiHostPool(url: string, options: { max: number; connectTimeoutMs?: number }): pg.Pool {
  const { hosts, singleHostUrl } = parseHosts(url);
  const timeoutMs = options.connectTimeoutMs ?? 3000;
  const locator = new PrimaryLocator(hosts, probeHost(singleHostUrl, timeoutMs));

  class FailoverClient extends pg.Client {
    target: DatabaseHost | undefined;

    constructor() {
      super({ connectionString: singleHostUrl, connectionTimeoutMillis: timeoutMs });
    }

    // The pool calls connect(callback); node-postgres's promise form is kept for anyone else.
    override connect(): Promise<pg.Client>;
    override connect(callback: (err: Error) => void): void;
    override connect(callback?: (err: Error) => void): Promise<pg.Client> | undefined {
      const done = this.connectToPrimary().then(() => this);
      if (!callback) return done;
      done.then(
        () => callback(undefined as unknown as Error),
        (e: Error) => callback(e),
      );
      return undefined;
    }

    private async connectToPrimary(): Promise<void> {
      const target = await locator.primary();
      this.target = target;
      aim(this, target);
      try {
        await super.connect();
        const result = await super.query<{ transaction_read_only: string }>("SHOW transaction_read_only");
        if (result.rows[0]?.transaction_read_only !== "off") {
          const e = new Error(`the database host ${target.host}:${target.port} is read-only`) as Error & {
            code: string;
          };
          e.code = "25006";
          throw e;
        }
      } catch (e) {
        locator.forget(target);
        await this.end().catch(() => {});
        throw e;
      }
    }

    // biome-ignore lint/suspicious/noExplicitAny: node-postgres's query has many overloads; this only watches errors.
    override query(...args: any[]): any {
      // biome-ignore lint/suspicious/noExplicitAny: as above.
      const result = (super.query as (...a: any[]) => any)(...args);
      if (result && typeof result.catch === "function")
        result.catch((e: unknown) => {
          if (isDatabaseUnavailable(e)) this.retire();
        });
      return result;
    }

    /** This connection is no good (server gone or read-only): the pool closes it on release. */
    retire() {
      if (this.target) locator.forget(this.target);
      // What node-postgres itself sets when the socket dies; pg-pool closes such a client on release.
      (this as unknown as { _queryable: boolean })._queryable = false;
    }
  }

  const pool = new pg.Pool({ max: options.max, Client: FailoverClient as unknown as typeof pg.Client });
  return pool;
}
