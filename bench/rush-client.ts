/**
 * The rush's HTTP client, as a careful browser or script would be: every request through the proxy,
 * retried on a connection error or a 502/503/504 (the node behind the proxy died or is starting) with
 * a growing pause, and every answer recorded with its status, code, tries and time.
 */

export type Kind = "login" | "read" | "save" | "evidence" | "submit" | "deadline" | "approve" | "run";

export interface Reply {
  status: number;
  /** The problem document's code for a refusal (RFC 9457), or the transport error's. */
  code: string | undefined;
  body: unknown;
  attempts: number;
  ms: number;
  setCookie: string[];
}

export interface Sample {
  kind: Kind;
  status: number;
  code: string | undefined;
  attempts: number;
  ms: number;
  /** When the request ended (ms since the epoch). */
  at: number;
}

export interface Session {
  cookie: string;
  csrf: string;
}

const RETRIED = new Set([502, 503, 504]);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export class RushClient {
  readonly samples: Sample[] = [];
  /** Tries that failed at the transport (connection refused or reset) or with 502/503/504, by cause. */
  readonly retries = new Map<string, number>();

  constructor(
    readonly base: string,
    /** Tries per request, and the longest pause between two (the pause grows by 200 ms a try up to it). */
    readonly options: { tries: number; maxPauseMs: number } = { tries: 8, maxPauseMs: 1600 },
  ) {}

  async send(
    kind: Kind,
    method: string,
    path: string,
    options: { session?: Session; json?: unknown; body?: Buffer; type?: string } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (options.session) {
      headers.cookie = options.session.cookie;
      if (method !== "GET") headers["x-csrf-token"] = options.session.csrf;
    }
    let body: string | Buffer | undefined;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.body) {
      headers["content-type"] = options.type ?? "application/octet-stream";
      body = options.body;
    }
    const t0 = performance.now();
    const TRIES = this.options.tries;
    for (let attempt = 1; ; attempt++) {
      let cause: string;
      try {
        const res = await fetch(`${this.base}${path}`, {
          method,
          headers,
          ...(body === undefined ? {} : { body }),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await res.text();
        if (!RETRIED.has(res.status) || attempt === TRIES) {
          const parsed = text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
          const reply: Reply = {
            status: res.status,
            code: res.status >= 400 ? (parsed as { code?: string })?.code : undefined,
            body: parsed,
            attempts: attempt,
            ms: performance.now() - t0,
            setCookie: res.headers.getSetCookie(),
          };
          this.record(kind, reply);
          return reply;
        }
        cause = `HTTP ${res.status}`;
      } catch (e) {
        cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
        if (attempt === TRIES) {
          const reply: Reply = {
            status: 0,
            code: cause,
            body: null,
            attempts: attempt,
            ms: performance.now() - t0,
            setCookie: [],
          };
          this.record(kind, reply);
          return reply;
        }
      }
      this.retries.set(`${kind} ${cause}`, (this.retries.get(`${kind} ${cause}`) ?? 0) + 1);
      await sleep(Math.min(200 * attempt, this.options.maxPauseMs));
    }
  }

  async login(username: string, password: string): Promise<Session | Reply> {
    const reply = await this.send("login", "POST", "/api/v1/auth/login", { json: { username, password } });
    if (reply.status !== 200) return reply;
    const cookie = reply.setCookie.map((c) => c.split(";")[0]!).find((c) => c.startsWith("kaohe_session="));
    return { cookie: cookie ?? "", csrf: (reply.body as { csrfToken: string }).csrfToken };
  }

  private record(kind: Kind, reply: Reply) {
    this.samples.push({
      kind,
      status: reply.status,
      code: reply.code,
      attempts: reply.attempts,
      ms: reply.ms,
      at: Date.now(),
    });
  }
}

/** The q-quantile (0..1) of some numbers, nearest rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
