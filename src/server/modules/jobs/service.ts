import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Lang } from "../../../engine/index.js";
import { type Database, resultRows } from "../../db/client.js";
import { jobs } from "../../db/schema/index.js";
import { AppError, notFound } from "../../errors.js";

export type Job = typeof jobs.$inferSelect;
export type JobKind = Job["kind"];

/** How long a running job may go without a heartbeat before another process takes it over. */
export const STALE_MS = 60_000;
/** How often a process running a job says it still is (well inside STALE_MS). */
export const HEARTBEAT_MS = 15_000;
/**
 * Claims of one job at most: a job whose process died this many times (killed, out of memory) is failed
 * with the reason rather than handed to the next process to die on.
 */
export const MAX_ATTEMPTS = 3;

/** Database-backed jobs: enqueue, claim (one process per job), report progress, finish. */
export function createJobService(deps: { db: Database; now: () => Date; worker?: string; staleMs?: number }) {
  const { db, now } = deps;
  const staleMs = deps.staleMs ?? STALE_MS;
  const worker = deps.worker ?? `${process.pid}-${randomUUID().slice(0, 8)}`;
  /**
   * Says this process still runs the job (with its progress, when given). False when it no longer
   * holds it: another process took it over after a stall, and this one's work is not to be recorded.
   */
  const heartbeat = async (id: string, fraction?: number): Promise<boolean> => {
    const held = await db
      .update(jobs)
      .set({
        heartbeatAt: now(),
        ...(fraction === undefined ? {} : { progress: Math.min(1, Math.max(0, fraction)) }),
      })
      .where(and(eq(jobs.id, id), eq(jobs.worker, worker), eq(jobs.status, "running")))
      .returning({ id: jobs.id });
    return held.length > 0;
  };

  return {
    worker,
    /** How often the runner should send a running job's heartbeat: well inside the stale time. */
    heartbeatMs: Math.min(HEARTBEAT_MS, Math.floor(staleMs / 4)),

    async enqueue(kind: JobKind, params: Record<string, unknown>, createdBy: string | null): Promise<Job> {
      const [job] = await db.insert(jobs).values({ kind, params, createdBy, createdAt: now() }).returning();
      return job!;
    },

    async get(id: string): Promise<Job> {
      const [job] = await db.select().from(jobs).where(eq(jobs.id, id));
      if (!job) throw notFound("任务不存在", "job not found");
      return job;
    },

    /**
     * Claims the oldest queued job (or one whose process stopped sending heartbeats). SKIP LOCKED lets
     * several processes claim at once without ever taking the same job. A stalled job already claimed
     * MAX_ATTEMPTS times is failed with the reason instead: never left "running", never retried forever.
     */
    async claim(): Promise<Job | null> {
      const stale = new Date(now().getTime() - staleMs).toISOString();
      return db.transaction(async (tx) => {
        const picked = await tx.execute(sql`
          SELECT id, status, attempts FROM jobs
          WHERE status = 'queued' OR (status = 'running' AND heartbeat_at < ${stale}::timestamptz)
          ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`);
        const row = resultRows<{ id: string; status: string; attempts: number }>(picked)[0];
        if (!row) return null;
        if (row.status === "running" && row.attempts >= MAX_ATTEMPTS) {
          await tx
            .update(jobs)
            .set({
              status: "failed",
              error: `任务所在的进程已中断 ${row.attempts} 次，不再重试 (the process running this job stopped ${row.attempts} times; not retried again)`,
              finishedAt: now(),
            })
            .where(eq(jobs.id, row.id));
          return null;
        }
        const [job] = await tx
          .update(jobs)
          .set({
            status: "running",
            worker,
            startedAt: now(),
            heartbeatAt: now(),
            progress: 0,
            attempts: sql`${jobs.attempts} + 1`,
          })
          .where(eq(jobs.id, row.id))
          .returning();
        return job!;
      });
    },

    heartbeat,

    progress: (id: string, fraction: number): Promise<boolean> => heartbeat(id, fraction),

    /**
     * Records the result, if this process still holds the job (a taken-over job is the new holder's).
     * Within a handler's own transaction (`tx`), its work and the job's end commit together.
     */
    async finish(id: string, result: unknown, tx: Database = db): Promise<boolean> {
      const held = await tx
        .update(jobs)
        .set({ status: "done", progress: 1, result, finishedAt: now(), heartbeatAt: now() })
        .where(and(eq(jobs.id, id), eq(jobs.worker, worker), eq(jobs.status, "running")))
        .returning({ id: jobs.id });
      return held.length > 0;
    },

    /** Marks a job failed, with the reason and any detail (e.g. every error of an imported file), if still held. */
    async fail(id: string, error: string, detail: unknown = null): Promise<boolean> {
      const held = await db
        .update(jobs)
        .set({ status: "failed", error, result: detail, finishedAt: now(), heartbeatAt: now() })
        .where(and(eq(jobs.id, id), eq(jobs.worker, worker), eq(jobs.status, "running")))
        .returning({ id: jobs.id });
      return held.length > 0;
    },
  };
}

export type JobService = ReturnType<typeof createJobService>;

/**
 * Ends the job inside the handler's own write transaction, with its result: a process killed after that
 * commit leaves the job done, never to be run a second time (a second scoring run, an import refused
 * as "already submitted" by its own first attempt). Throws, rolling the work back, when this process no
 * longer holds the job (another took it over after a stall): only the holder's work is kept.
 */
export type FinishWithin = (tx: Database, result: unknown) => Promise<void>;

export type JobHandler = (
  job: Job,
  progress: (fraction: number) => Promise<void>,
  finishWithin: FinishWithin,
) => Promise<unknown>;

/** The error that rolls back a handler's transaction whose job another process now holds. */
export const jobLost = () =>
  new Error(
    "任务已由其他进程接管，本次结果不予记录 (the job was taken over by another process; this result is not kept)",
  );

/**
 * Runs jobs in this process: `tick` claims and runs one; `start` polls until `stop`. Several app
 * processes can run their own runners against one database.
 */
export function createJobRunner(deps: {
  jobs: JobService;
  handlers: Record<JobKind, JobHandler>;
  pollMs?: number;
  /** How often a running job's heartbeat is written (default HEARTBEAT_MS). */
  heartbeatMs?: number;
}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;
  let stopped = false;
  const tick = async (): Promise<boolean> => {
    const job = await deps.jobs.claim();
    if (!job) return false;
    // A long step between two progress reports (one big scoring run) must not look like a dead process.
    const beat = setInterval(() => {
      deps.jobs.heartbeat(job.id).catch(() => {});
    }, deps.heartbeatMs ?? deps.jobs.heartbeatMs);
    try {
      let finished = false;
      const result = await deps.handlers[job.kind](
        job,
        async (fraction) => {
          await deps.jobs.progress(job.id, fraction);
        },
        async (tx, result) => {
          if (!(await deps.jobs.finish(job.id, result, tx))) throw jobLost();
          finished = true;
        },
      );
      if (!finished) await deps.jobs.finish(job.id, result);
    } catch (e) {
      // A refusal the user can act on is told in the language the job was asked in, with its detail.
      if (e instanceof AppError) {
        const lang = (job.params as { lang?: Lang }).lang ?? "zh-CN";
        await deps.jobs.fail(job.id, e.messages[lang], e.extra ?? null);
      } else await deps.jobs.fail(job.id, e instanceof Error ? e.message : String(e));
    } finally {
      clearInterval(beat);
    }
    return true;
  };
  return {
    tick,
    start() {
      stopped = false;
      const loop = async () => {
        running = tick().catch(() => false);
        const didWork = await running;
        if (!stopped) timer = setTimeout(loop, didWork ? 0 : (deps.pollMs ?? 500));
      };
      timer = setTimeout(loop, 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
