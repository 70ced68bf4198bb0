import { z } from "zod";
import { text, textLimits } from "../../schemas.js";

/** The organisations API's shapes: the routes validate with them, the web app takes its types from them. */
export const organisationKinds = ["city", "district", "department", "office"] as const;

export const organisation = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: z.enum(organisationKinds),
  parentId: z.string().nullable(),
});

export const organisationBody = z.object({
  code: z
    .string()
    .min(1)
    .max(50)
    .regex(/^[A-Za-z0-9_-]+$/),
  name: text(textLimits.name).min(1),
  nameEn: text(textLimits.name).optional(),
  kind: z.enum(organisationKinds),
  parentCode: z.string().optional(),
});

/** An edit: the code stays (plans and accounts name units by it); null clears the English name or the parent. */
export const organisationPatch = z.object({
  name: text(textLimits.name).min(1).optional(),
  nameEn: text(textLimits.name).nullable().optional(),
  kind: z.enum(organisationKinds).optional(),
  parentCode: z.string().nullable().optional(),
});

export type Organisation = z.infer<typeof organisation>;
export type OrganisationBody = z.infer<typeof organisationBody>;
export type OrganisationPatch = z.infer<typeof organisationPatch>;
export type OrganisationKind = (typeof organisationKinds)[number];
