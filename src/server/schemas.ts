import { z } from "zod";

/**
 * The longest string accepted anywhere in a JSON request body (characters, i.e. UTF-16 code units),
 * unless a schema states a smaller limit; longer is refused with 400 TEXT_TOO_LONG naming the field.
 */
export const MAX_TEXT = 10_000;

/** Limits of the free-text fields, in characters (documented in the README). */
export const textLimits = {
  /** A person's or an organisation's name. */
  name: 200,
  /** A user's display name. */
  displayName: 100,
  /** A note on a value, a mark, a bonus/penalty item or a spot check. */
  note: 2000,
  /** Where a value comes from. */
  source: 500,
  /** A reference (文号, a certificate number). */
  ref: 200,
  /** A reason for a request or a decision (target adjustment, claim decision). */
  reason: 2000,
  /** A reason for returning a value. */
  returnReason: 1000,
  /** A reason for reopening a unit's reporting. */
  reopenReason: 500,
  /** An objection and its resolution (公示异议). */
  objection: 4000,
} as const;

/** A free-text field of at most `max` characters (the one way route schemas declare such a field). */
export const text = (max: number) => z.string().max(max);

/**
 * An instant a client sends: an ISO 8601 date-time with its offset, from year 1 on. Year 0000 (or 0001
 * with an offset east of UTC) is well-formed ISO but no PostgreSQL timestamp, so it was a 500.
 */
export const instant = () =>
  z.iso.datetime({ offset: true }).refine((s) => new Date(s).getUTCFullYear() >= 1, {
    error: "时间须在公元 1 年之后 (the date must be in year 1 or later)",
  });
