export type { Finding } from "./finding.js";
export { MAX_PAGE_CHARS, scanPage } from "./scan.js";
