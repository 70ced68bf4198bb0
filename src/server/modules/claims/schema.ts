import { z } from "zod";

/** An evidence file of a claim as the API shows it (the content is downloaded on its own). */
export const claimFile = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  uploadedAt: z.string(),
});
export type ClaimFile = z.infer<typeof claimFile>;
