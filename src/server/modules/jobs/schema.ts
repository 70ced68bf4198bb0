import { z } from "zod";

/** A job as the API shows it (the routes validate with it; the web app takes its type). */
export const jobView = z.object({
  id: z.string(),
  kind: z.enum(["score", "sensitivity", "import"]),
  status: z.enum(["queued", "running", "done", "failed"]),
  progress: z.number(),
  result: z.unknown(),
  error: z.string().nullable(),
});
export type JobView = z.infer<typeof jobView>;
