import type { Finding } from "./check/finding.js";
import { extractArticle, pageHashes } from "./pages/hashes.js";

/** The 1-based line and column of an offset in a text. */
function placeOf(text: string, offset: number) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/**
 * Compares a fetched portal page's notice article with the hashes recorded at its publication, asking
 * the portal's own GET /api/v1/public/verify: a finding when the article's SHA-256 is not one of them
 * (the page was changed after publication, or is not the portal's). A page without a notice article
 * has nothing to compare. Throws when the portal cannot be asked (the check then cannot vouch for it).
 */
export async function publishedHashFinding(
  html: string,
  pageUrl: string,
  signal: AbortSignal,
): Promise<Finding | null> {
  const article = extractArticle(html);
  if (article === undefined) return null;
  const { sha256 } = pageHashes(article);
  const res = await fetch(new URL(`/api/v1/public/verify?hash=${sha256}`, pageUrl), {
    signal,
    headers: { accept: "application/json" },
  });
  if (!res.ok) throw new Error(`GET /api/v1/public/verify: ${res.status}`);
  const { found } = (await res.json()) as { found: boolean };
  if (found) return null;
  const at = placeOf(html, html.indexOf(article));
  return {
    code: "hash-mismatch",
    ...at,
    element: '<article id="notice">',
    reason: {
      "zh-CN": `公示正文的哈希（SHA-256 ${sha256.slice(0, 16)}…）与发布时记录的不符：页面在发布后被改动过`,
      en: `the notice article's hash (SHA-256 ${sha256.slice(0, 16)}…) is not the one recorded at publication: the page was changed after it was published`,
    },
  };
}
