import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Lang } from "../../../engine/index.js";
import { type Database, resultRows } from "../../db/client.js";
import { jobs } from "../../db/schema/index.js";
import { AppError, notFound } from "../../errors.js";

export type Job = typeof jobs.$inferSelect;
export type JobKind = Job["kind"];

/** How long a running job may go without a heartbeat before another process takes it over. */
const STALE_MS = 60_000;

/** Database-backed jobs: enqueue, claim (one process per job), report progress, finish. */
export function createJobService(deps: { db: Database; now: () => Date; worker?: string }) {
  const { db, now } = deps;
  const worker = deps.worker ?? `${process.pid}-${randomUUID().slice(0, 8)}`;
  return {
    worker,

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
     * several processes claim at once without ever taking the same job.
     */
    async claim(): Promise<Job | null> {
      const stale = new Date(now().getTime() - STALE_MS);
      return db.transaction(async (tx) => {
        const picked = await tx.execute(sql`
          SELECT id FROM jobs
          WHERE status = 'queued' OR (status = 'running' AND heartbeat_at < ${stale.toISOString()}::timestamptz)
          ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`);
        const id = resultRows<{ id: string }>(picked)[0]?.id;
        if (!id) return null;
        const [job] = await tx
          .update(jobs)
          .set({ status: "running", worker, startedAt: now(), heartbeatAt: now(), progress: 0 })
          .where(eq(jobs.id, id))
          .returning();
        return job!;
      });
    },

    async progress(id: string, fraction: number): Promise<void> {
      await db
        .update(jobs)
        .set({ progress: Math.min(1, Math.max(0, fraction)), heartbeatAt: now() })
        .where(eq(jobs.id, id));
    },

    async finish(id: string, result: unknown): Promise<void> {
      await db
        .update(jobs)
        .set({ status: "done", progress: 1, result, finishedAt: now(), heartbeatAt: now() })
        .where(eq(jobs.id, id));
    },

    /** Marks a job failed, with the reason and any detail (e.g. every error of an imported file). */
    async fail(id: string, error: string, detail: unknown = null): Promise<void> {
      await db
        .update(jobs)
        .set({ status: "failed", error, result: detail, finishedAt: now(), heartbeatAt: now() })
        .where(eq(jobs.id, id));
    },
  };
}

export type JobService = ReturnType<typeof createJobService>;

export type JobHandler = (job: Job, progress: (fraction: number) => Promise<void>) => Promise<unknown>;

/**
 * Runs jobs in this process: `tick` claims and runs one; `start` polls until `stop`. Several app
 * processes can run their own runners against one database.
 */
export function createJobRunner(deps: {
  jobs: JobService;
  handlers: Record<JobKind, JobHandler>;
  pollMs?: number;
}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;
  let stopped = false;
  const tick = async (): Promise<boolean> => {
    const job = await deps.jobs.claim();
    if (!job) return false;
    try {
      const result = await deps.handlers[job.kind](job, (fraction) => deps.jobs.progress(job.id, fraction));
      await deps.jobs.finish(job.id, result);
    } catch (e) {
      // A refusal the user can act on is told in the language the job was asked in, with its detail.
      if (e instanceof AppError) {
        const lang = (job.params as { lang?: Lang }).lang ?? "zh-CN";
        await deps.jobs.fail(job.id, e.messages[lang], e.extra ?? null);
      } else await deps.jobs.fail(job.id, e instanceof Error ? e.message : String(e));
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
