import type { Lang } from "../../engine/errors.js";

/** What a finding is about; docs/portal-check.md lists each with an example. */
export type FindingCode =
  | "external-link"
  | "external-resource"
  | "script"
  | "iframe"
  | "hidden"
  | "meta-refresh"
  | "term"
  | "unknown-element"
  | "duplicate-id"
  | "hash-mismatch";

/** One thing on a page that a published kaohe page never has. */
export interface Finding {
  code: FindingCode;
  /** 1-based line and column in the page's source (of the first occurrence when `count` > 1). */
  line: number;
  column: number;
  /** The element it is in or about, e.g. `<a href="https://365bet.example/">`. */
  element: string;
  reason: Record<Lang, string>;
  /** How many times it occurs on the page, where findings of one kind are counted rather than repeated. */
  count?: number;
}

const MAX_EXCERPT = 80;

/** A value shortened for a one-line report, with control characters shown as spaces. */
export function excerpt(s: string, max = MAX_EXCERPT): string {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Findings in the order of the page: by line, then column. */
export const byPlace = (a: Finding, b: Finding) => a.line - b.line || a.column - b.column;
