/**
 * A pg_auto_failover formation on this machine for the failover drill (bench/failover.bench.ts): a
 * monitor, a primary and a synchronous standby, each `pg_autoctl` (Debian's postgresql-15-auto-failover,
 * installed when missing) running as the `postgres` user in its own process group, on loopback ports
 * (PORT, PORT+1, PORT+2), with every file — data directories and pg_autoctl's own XDG state — in one
 * temporary directory that `destroy` removes. The monitor's health checks are tightened (1 s instead of
 * 5-20 s; deploy/pg-auto-failover.sql) so that a failover takes seconds.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { projectRoot } from "../src/server/db/client.js";
import { sleep } from "./rush-client.js";

const root = projectRoot();
const PG_BIN = "/usr/lib/postgresql/15/bin";

/** pg_autoctl's path, installing Debian's package when it is missing; null when that cannot be done. */
export function ensurePgAutoctl(): string | null {
  const found = () => {
    try {
      execFileSync("test", ["-x", "/usr/bin/pg_autoctl"]);
      return "/usr/bin/pg_autoctl";
    } catch {
      return null;
    }
  };
  if (found()) return found();
  if (process.getuid?.() !== 0) {
    console.log(
      "pg_autoctl is missing and this is not root: cannot apt-get install postgresql-15-auto-failover",
    );
    return null;
  }
  console.log("pg_autoctl is missing: apt-get install -y postgresql-15-auto-failover");
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-q", "postgresql-15-auto-failover"], {
      stdio: "inherit",
      env,
    });
  } catch (e) {
    console.log(`apt-get install postgresql-15-auto-failover failed: ${(e as Error).message}`);
    return null;
  }
  return found();
}

interface PgNode {
  name: string;
  port: number;
  pgdata: string;
  child: ChildProcess | undefined;
}

export class Formation {
  readonly monitor: PgNode;
  readonly nodes: PgNode[];
  private readonly uid: number;
  private readonly gid: number;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly bin: string,
    readonly dir: string,
    readonly port: number,
    readonly dbname = "kaohe",
  ) {
    this.uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    this.gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    chownSync(dir, this.uid, this.gid);
    const xdg = join(dir, "xdg");
    this.env = {
      PATH: `${PG_BIN}:/usr/bin:/bin`,
      HOME: dir,
      XDG_CONFIG_HOME: join(xdg, "config"),
      XDG_DATA_HOME: join(xdg, "data"),
      XDG_RUNTIME_DIR: join(xdg, "run"),
      LANG: "C.UTF-8",
    };
    const node = (name: string, port: number): PgNode => ({
      name,
      port,
      pgdata: join(dir, name),
      child: undefined,
    });
    this.monitor = node("monitor", port);
    this.nodes = [node("node1", port + 1), node("node2", port + 2)];
  }

  get monitorUrl(): string {
    return `postgres://autoctl_node@127.0.0.1:${this.monitor.port}/pg_auto_failover?sslmode=disable`;
  }

  /** As the postgres user, in a process group of its own (so the whole node can be killed at once). */
  private spawn(node: PgNode, args: string[]): ChildProcess {
    const log = openSync(join(this.dir, `${node.name}.log`), "a");
    const child = spawn(this.bin, args, {
      cwd: this.dir,
      env: this.env,
      uid: this.uid,
      gid: this.gid,
      detached: true,
      stdio: ["ignore", log, log],
    });
    child.on("error", () => {});
    return child;
  }

  private run(args: string[]): string {
    return execFileSync(this.bin, args, {
      cwd: this.dir,
      env: this.env,
      uid: this.uid,
      gid: this.gid,
      stdio: ["ignore", "pipe", "pipe"],
    }).toString();
  }

  /** The monitor, then the first node (it becomes the primary), then the second (the standby). */
  async create(): Promise<void> {
    for (const d of ["config", "data", "run"]) {
      const p = join(this.dir, "xdg", d);
      mkdirSync(p, { recursive: true });
      chmodSync(p, 0o700);
      chownSync(p, this.uid, this.gid);
    }
    chownSync(join(this.dir, "xdg"), this.uid, this.gid);
    const m = this.monitor;
    const common = ["--hostname", "127.0.0.1", "--auth", "trust", "--no-ssl", "--pgctl", `${PG_BIN}/pg_ctl`];
    this.run(["create", "monitor", "--pgdata", m.pgdata, "--pgport", String(m.port), ...common]);
    // pg_autoctl starts the monitor's postgres with -h '*': keep it on loopback.
    this.run(["config", "set", "--pgdata", m.pgdata, "postgresql.listen_addresses", "127.0.0.1"]);
    m.child = this.spawn(m, ["run", "--pgdata", m.pgdata]);
    await this.waitSql(m.port, "pg_auto_failover", 30_000);
    const monitor = new pg.Client({ connectionString: this.monitorUrl.replace("autoctl_node", "postgres") });
    await monitor.connect();
    try {
      for (const statement of readFileSync(join(root, "deploy/pg-auto-failover.sql"), "utf8")
        .replace(/--.*$/gm, "")
        .split(";")
        .map((s) => s.trim())
        .filter(Boolean))
        await monitor.query(statement);
    } finally {
      await monitor.end();
    }
    for (const [k, node] of this.nodes.entries()) {
      node.child = this.spawn(node, [
        "create",
        "postgres",
        "--pgdata",
        node.pgdata,
        "--pgport",
        String(node.port),
        "--listen",
        "127.0.0.1",
        "--name",
        node.name,
        "--dbname",
        this.dbname,
        "--monitor",
        this.monitorUrl,
        ...common,
        "--run",
      ]);
      if (k === 0) await this.waitState(node.name, ["single", "wait_primary", "primary"], 60_000);
    }
  }

  /** The monitor's view (what `pg_autoctl show state` prints): each node's name, port, reported and assigned state. */
  async states(): Promise<{ name: string; port: number; reported: string; assigned: string }[]> {
    const client = new pg.Client({ connectionString: this.monitorUrl, connectionTimeoutMillis: 2000 });
    client.on("error", () => {});
    try {
      await client.connect();
      const result = await client.query<{ name: string; port: number; reported: string; assigned: string }>(
        "SELECT nodename AS name, nodeport AS port, reportedstate::text AS reported, goalstate::text AS assigned FROM pgautofailover.node ORDER BY nodeid",
      );
      return result.rows;
    } catch {
      return [];
    } finally {
      await client.end().catch(() => {});
    }
  }

  async waitState(name: string, states: string[], ms: number): Promise<void> {
    const until = Date.now() + ms;
    for (;;) {
      const row = (await this.states()).find((r) => r.name === name);
      if (row && states.includes(row.reported) && row.reported === row.assigned) return;
      if (Date.now() > until)
        throw new Error(
          `${name} did not reach ${states.join("/")} in ${ms} ms: ${JSON.stringify(await this.states())}`,
        );
      await sleep(500);
    }
  }

  /**
   * Waits until a primary and a secondary are both in place. pg_basebackup of the standby waits for a
   * checkpoint on the primary, which PostgreSQL spreads over minutes: ask for an immediate one meanwhile.
   */
  async waitFormed(ms: number): Promise<void> {
    const until = Date.now() + ms;
    for (;;) {
      const rows = await this.states();
      const settled = rows.filter((r) => r.reported === r.assigned);
      if (settled.some((r) => r.reported === "primary") && settled.some((r) => r.reported === "secondary"))
        return;
      if (Date.now() > until)
        throw new Error(`the formation did not form in ${ms} ms: ${JSON.stringify(rows)}`);
      const primary = rows.find((r) => ["wait_primary", "primary", "single"].includes(r.reported));
      if (primary) await this.sql(primary.port, "postgres", "CHECKPOINT").catch(() => {});
      await sleep(1000);
    }
  }

  /** The node that currently takes writes (asked of the nodes themselves, not the monitor). */
  async writable(): Promise<PgNode | undefined> {
    for (const node of this.nodes) {
      const ro = await this.sql(node.port, "postgres", "SHOW transaction_read_only").catch(() => undefined);
      if (ro === "off") return node;
    }
    return undefined;
  }

  /** The multi-host URL the app nodes use, as the monitor gives it (TLS off: loopback, --no-ssl). */
  uri(): string {
    const uri = this.run(["show", "uri", "--pgdata", this.monitor.pgdata, "--formation", "default"]).trim();
    return uri.replace("sslmode=prefer", "sslmode=disable").replace("postgres://", "postgres://postgres@");
  }

  /** kill -9 of the node's whole process group (pg_autoctl and its postgres), frozen first so none restarts another. */
  kill(node: PgNode): void {
    const pid = node.child?.pid;
    if (!pid) return;
    try {
      process.kill(-pid, "SIGSTOP");
      process.kill(-pid, "SIGKILL");
    } catch {}
    node.child = undefined;
  }

  /** Starts a killed node again: pg_autoctl rewinds it and it rejoins as a standby. */
  restart(node: PgNode): void {
    node.child = this.spawn(node, ["run", "--pgdata", node.pgdata]);
  }

  async sql(port: number, database: string, text: string): Promise<string | undefined> {
    const client = new pg.Client({
      host: "127.0.0.1",
      port,
      user: "postgres",
      database,
      connectionTimeoutMillis: 2000,
    });
    client.on("error", () => {});
    try {
      await client.connect();
      const result = await client.query(text);
      const row = result.rows[0] as Record<string, unknown> | undefined;
      return row ? String(Object.values(row)[0]) : undefined;
    } finally {
      await client.end().catch(() => {});
    }
  }

  private async waitSql(port: number, database: string, ms: number): Promise<void> {
    const until = Date.now() + ms;
    for (;;) {
      if ((await this.sql(port, database, "SELECT 1").catch(() => undefined)) === "1") return;
      if (Date.now() > until) throw new Error(`postgres on ${port} did not answer in ${ms} ms`);
      await sleep(300);
    }
  }

  /** Stops every process of the formation (kill -9 of each group) and removes its directory. */
  async destroy(keep: boolean): Promise<void> {
    for (const node of [...this.nodes, this.monitor]) this.kill(node);
    await sleep(500);
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}
