/**
 * The rush's processes: nginx from Debian (installed when missing) configured from deploy/nginx-rush.conf,
 * and `kaohe serve` app nodes on one PostgreSQL, every port on 127.0.0.1.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep } from "./rush-client.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

function which(bin: string): string | null {
  for (const dir of ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"]) {
    try {
      execFileSync("test", ["-x", join(dir, bin)]);
      return join(dir, bin);
    } catch {}
  }
  return null;
}

/** nginx's path, installing Debian's package first when it is missing (as root, or through sudo). */
export function ensureNginx(): string {
  const found = which("nginx");
  if (found) return found;
  console.log("nginx is missing: apt-get install -y nginx");
  const asRoot = process.getuid?.() === 0 ? [] : ["sudo"];
  const run = (args: string[]) =>
    execFileSync(asRoot[0] ?? args[0]!, asRoot.length ? args : args.slice(1), {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  run(["apt-get", "update"]);
  run(["apt-get", "install", "-y", "nginx"]);
  const installed = which("nginx");
  if (!installed) throw new Error("nginx is still missing after apt-get install nginx");
  return installed;
}

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    if (Date.now() > until) throw new Error(`${url} did not answer in ${ms} ms`);
    await sleep(100);
  }
}

export class AppNode {
  child: ChildProcess | undefined;
  starts = 0;

  constructor(
    readonly port: number,
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  async start(): Promise<void> {
    this.starts++;
    const log = openSync(join(this.dir, `node-${this.port}.log`), "a");
    this.child = spawn(process.execPath, [join(root, "bin/kaohe.js"), "serve", "--port", String(this.port)], {
      cwd: this.dir,
      env: this.env,
      stdio: ["ignore", log, log],
    });
    await waitFor(`http://127.0.0.1:${this.port}/api/v1/health`, 30_000);
  }

  /** kill -9: no graceful close, requests in flight are cut off. */
  kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once("exit", () => resolve());
      child.kill(signal);
    });
  }

  /** Lines of this node's log (pino JSON) that report a 5xx reply. */
  serverErrors(): string[] {
    return readFileSync(join(this.dir, `node-${this.port}.log`), "utf8")
      .split("\n")
      .filter((l) => /"statusCode":5\d\d/.test(l) || /"level":50/.test(l));
  }
}

export class Nginx {
  child: ChildProcess | undefined;

  constructor(
    readonly bin: string,
    readonly dir: string,
    readonly port: number,
    readonly upstreams: number[],
  ) {}

  async start(): Promise<void> {
    // nginx's workers run as an unprivileged user: they keep large request bodies in these directories.
    chmodSync(this.dir, 0o755);
    for (const d of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) {
      mkdirSync(join(this.dir, d), { recursive: true });
      chmodSync(join(this.dir, d), 0o777);
    }
    const template = readFileSync(join(root, "deploy/nginx-rush.conf"), "utf8");
    const servers = this.upstreams
      .map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`)
      .join("\n");
    const conf = template
      .replaceAll("{{DIR}}", this.dir)
      .replaceAll("{{PORT}}", String(this.port))
      .replace("{{SERVERS}}", servers);
    writeFileSync(join(this.dir, "nginx.conf"), conf);
    const log = openSync(join(this.dir, "nginx.out"), "a");
    this.child = spawn(this.bin, ["-p", this.dir, "-c", join(this.dir, "nginx.conf")], {
      stdio: ["ignore", log, log],
    });
    await waitFor(`http://127.0.0.1:${this.port}/api/v1/health`, 15_000);
  }

  stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGQUIT");
    });
  }

  /** The access log's lines (see log_format rush): method, path, status, time, upstreams and their statuses. */
  accessLog(): { method: string; path: string; status: number; upstreams: string; upstreamStatus: string }[] {
    return readFileSync(join(this.dir, "access.log"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [, method, path, status, , ...rest] = line.split(" ");
        const quoted = rest.join(" ").match(/"([^"]*)" "([^"]*)"/);
        return {
          method: method!,
          path: path!,
          status: Number(status),
          upstreams: quoted?.[1] ?? "",
          upstreamStatus: quoted?.[2] ?? "",
        };
      });
  }
}
