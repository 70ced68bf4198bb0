import { z } from "zod";

/**
 * The pipeline specification (`spec.json`): an ordered list of named steps, COINr style. The same
 * schema validates CLI input and documents the format; every field is optional unless stated.
 */

const range = z.tuple([z.number(), z.number()]);
const ties = z.enum(["min", "dense", "ordinal"]);

export const normaliserMethodNames = [
  "minmax",
  "zscore",
  "scaled",
  "rank",
  "borda",
  "prank",
  "dist2max",
  "dist2ref",
  "dist2targ",
  "fracmax",
  "goalposts",
  "none",
] as const;

export const normaliserSchema = z.discriminatedUnion("method", [
  z.strictObject({ method: z.literal("minmax"), range: range.optional() }),
  z.strictObject({ method: z.literal("zscore"), meanSd: range.optional() }),
  z.strictObject({
    method: z.literal("scaled"),
    range: range.optional(),
    scaleFactor: z.number().optional(),
  }),
  z.strictObject({ method: z.enum(["rank", "borda", "prank"]), ties: ties.optional() }),
  z.strictObject({ method: z.literal("dist2max") }),
  z.strictObject({ method: z.literal("dist2ref"), reference: z.string(), cap: z.boolean().optional() }),
  z.strictObject({
    method: z.literal("dist2targ"),
    target: z.number().optional(),
    cap: z.boolean().optional(),
  }),
  z.strictObject({ method: z.literal("fracmax") }),
  z.strictObject({
    method: z.literal("goalposts"),
    lo: z.number(),
    hi: z.number(),
    scale: z.number().optional(),
    trunc: z.boolean().optional(),
  }),
  z.strictObject({ method: z.literal("none") }),
]);

export type NormaliserSpec = z.infer<typeof normaliserSchema>;

/** The normaliser part of a normalise step: everything but the step's own fields. */
export function normaliserOf(step: Record<string, unknown>): Record<string, unknown> {
  const { step: _s, input: _i, output: _o, global: _g, indicators: _ind, ...rest } = step;
  return rest;
}

const io = {
  /** Dataset to read (default: the latest one produced). */
  input: z.string().optional(),
  /** Name of the dataset written (default: the step's own, e.g. "Normalised"). */
  output: z.string().optional(),
};

const treatSettings = {
  winmax: z.number().int().nonnegative().optional(),
  skew: z.number().positive().optional(),
  kurtosis: z.number().optional(),
  forceWin: z.boolean().optional(),
  fallback: z.enum(["log_CT", "boxcox", "none"]).optional(),
  lambda: z.number().optional(),
};

/** A weight set: the name of one declared in `weights` (or a CSV file for the CLI), or inline weights. */
const weightRef = z.union([z.string(), z.record(z.string(), z.number().nonnegative())]);

export const stepSchema = z.discriminatedUnion("step", [
  z.strictObject({
    step: z.literal("denominate"),
    ...io,
    /** iCode -> denominator code; default: iMeta's Denominator column. */
    by: z.record(z.string(), z.string()).optional(),
    /** Scale factor, one for all or per iCode: x / (denominator / scaleFactor). */
    scaleFactor: z.union([z.number().positive(), z.record(z.string(), z.number().positive())]).optional(),
    /** A denominator table (the CLI reads it from a CSV with a uCode column); default: iData's own columns. */
    denoms: z.string().optional(),
  }),
  z.strictObject({
    step: z.literal("impute"),
    ...io,
    method: z.enum([
      "mean",
      "median",
      "mean_group",
      "median_group",
      "latest",
      "linear",
      "constant",
      "linear-constant",
    ]),
    group: z.string().optional(),
    maxTime: z.number().int().positive().optional(),
  }),
  z.strictObject({
    step: z.literal("screen"),
    ...io,
    by: z.enum(["missing", "zeros", "missing_and_zeros"]).default("missing"),
    threshold: z.number().min(0).max(1).optional(),
    nonZeroThreshold: z.number().min(0).max(1).optional(),
    force: z.array(z.strictObject({ unit: z.string(), include: z.boolean() })).optional(),
  }),
  z.strictObject({
    step: z.literal("treat"),
    ...io,
    ...treatSettings,
    indicators: z.record(z.string(), z.union([z.literal("none"), z.strictObject(treatSettings)])).optional(),
  }),
  z
    .strictObject({
      step: z.literal("normalise"),
      ...io,
      /** Panel data: normalise all time points together (COINr's default for panels) or each alone. */
      global: z.boolean().optional(),
      /** Per-indicator normalisers overriding the step's own. */
      indicators: z.record(z.string(), normaliserSchema).optional(),
      method: z.enum(normaliserMethodNames),
      range: range.optional(),
      meanSd: range.optional(),
      scaleFactor: z.number().optional(),
      ties: ties.optional(),
      reference: z.string().optional(),
      target: z.number().optional(),
      cap: z.boolean().optional(),
      lo: z.number().optional(),
      hi: z.number().optional(),
      scale: z.number().optional(),
      trunc: z.boolean().optional(),
    })
    .superRefine((step, ctx) => {
      // Each method takes only its own parameters: check them against the normaliser schema.
      const result = normaliserSchema.safeParse(normaliserOf(step));
      for (const issue of result.error?.issues ?? []) {
        ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
      }
    }),
  z.strictObject({
    step: z.literal("aggregate"),
    ...io,
    methods: z.array(z.enum(["amean", "gmean", "hmean", "genmean", "wmedian", "copeland"])).min(1),
    p: z.number().optional(),
    dataThreshold: z.union([z.number().min(0).max(1), z.array(z.number().min(0).max(1))]).optional(),
    weights: z.union([weightRef, z.array(z.union([weightRef, z.null()]))]).optional(),
  }),
]);

export const specSchema = z.strictObject({
  /** Named weight sets (inline), usable by name in an aggregate step. */
  weights: z.record(z.string(), z.record(z.string(), z.number().nonnegative())).optional(),
  steps: z.array(stepSchema),
});

export type Spec = z.infer<typeof specSchema>;
export type Step = z.infer<typeof stepSchema>;
export type StepName = Step["step"];
export const stepNames: readonly StepName[] = [
  "denominate",
  "impute",
  "screen",
  "treat",
  "normalise",
  "aggregate",
];
