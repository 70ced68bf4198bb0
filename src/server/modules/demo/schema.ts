import { z } from "zod";
import { roles } from "../../policy-table.js";

/** GET /api/v1/demo: whether the server runs the demo and, if so, its accounts (the web app imports the type). */
export const demoInfo = z.object({
  demo: z.boolean(),
  password: z.string().optional(),
  accounts: z.array(z.object({ username: z.string(), role: z.enum(roles) })),
});
export type DemoInfo = z.infer<typeof demoInfo>;
