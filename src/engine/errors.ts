/**
 * Errors are values, not exceptions: every engine step returns `Result<T>` so a caller (CLI, server,
 * browser) can show the user which indicator and unit went wrong, in their language.
 */

export type Lang = "zh-CN" | "en";

export interface EngineError {
  /** Stable machine-readable code, e.g. `GMEAN_NON_POSITIVE`. */
  code: string;
  /** Indicator (or aggregate) code the error is about, if any. */
  indicator?: string;
  /** Unit code the error is about, if any. */
  unit?: string;
  /** Offending value, when one cell is to blame. */
  value?: number;
  /** The data row it came from (e.g. a file's line), when a value's own rule refused it. */
  row?: number;
  /** Messages in both interface languages. */
  message: Record<Lang, string>;
  /** What to do about it, in both languages. */
  hint?: Record<Lang, string>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: EngineError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: EngineError): { ok: false; error: EngineError } => ({ ok: false, error });

/** Builds an error with both messages; `where` fields are copied so callers can point at the cell. */
export function engineError(
  code: string,
  zh: string,
  en: string,
  where: { indicator?: string; unit?: string; value?: number; hint?: Record<Lang, string> } = {},
): EngineError {
  const error: EngineError = { code, message: { "zh-CN": zh, en } };
  if (where.indicator !== undefined) error.indicator = where.indicator;
  if (where.unit !== undefined) error.unit = where.unit;
  if (where.value !== undefined) error.value = where.value;
  if (where.hint !== undefined) error.hint = where.hint;
  return error;
}

export function formatError(error: EngineError, lang: Lang): string {
  const hint = error.hint ? ` ${error.hint[lang]}` : "";
  return `${error.message[lang]}${hint}`;
}

/**
 * A warning is recorded in the step log instead of failing: e.g. a normaliser that met a zero range
 * and so produced NaN for an indicator. Never a silent NaN: each one is named here.
 */
export interface EngineWarning {
  code: string;
  indicator?: string;
  unit?: string;
  message: Record<Lang, string>;
}
