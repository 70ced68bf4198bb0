import { z } from "zod";
import { scenarioChangesSchema } from "../../../engine/index.js";
import { text, textLimits } from "../../schemas.js";

/**
 * Shapes of the scenario API that the web app also reads (type-only imports): one definition for the
 * route's validation, its OpenAPI document and the client.
 */
export const scenarioView = z.object({
  id: z.string(),
  planId: z.string(),
  runId: z.string(),
  name: z.string(),
  owner: z.string().describe("the owner's username"),
  mine: z.boolean(),
  shared: z.boolean(),
  changes: scenarioChangesSchema,
  size: z.number().describe("how many changes it makes"),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ScenarioView = z.infer<typeof scenarioView>;

/** POST /plans/:planId/scenarios: a scenario of one of the plan's runs. */
export const scenarioBody = z.object({
  runId: z.uuid(),
  name: text(textLimits.name).trim().min(1),
  changes: scenarioChangesSchema,
  shared: z.boolean().optional(),
});
export type ScenarioBody = z.infer<typeof scenarioBody>;

/** PUT /plans/:planId/scenarios/:id: the owner renames, changes or shares it. */
export const scenarioUpdate = scenarioBody.omit({ runId: true });
export type ScenarioUpdate = z.infer<typeof scenarioUpdate>;
