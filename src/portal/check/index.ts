export type { Finding, FindingCode } from "./finding.js";
export { MAX_PAGE_CHARS, type ScanOptions, scanPage } from "./scan.js";
export { type TermCategory, type TermList, termLists } from "./terms.js";
