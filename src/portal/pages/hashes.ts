import { createHash } from "node:crypto";

/** A page's content hashes: SM3 (GB/T 32905-2016) and SHA-256 of its article's UTF-8 bytes, lowercase hex. */
export interface PageHashes {
  sm3: string;
  sha256: string;
}

/** The hashes of a text's UTF-8 bytes (SM3 from Node's OpenSSL, which has it since 1.1.1). */
export function pageHashes(text: string): PageHashes {
  return bytesHashes(Buffer.from(text, "utf8"));
}

/** The hashes of a file's bytes (a notice's PDF). */
export function bytesHashes(bytes: Uint8Array): PageHashes {
  return {
    sm3: createHash("sm3").update(bytes).digest("hex"),
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

const ARTICLE_START = '<article id="notice"';

/**
 * The notice article in a page as the portal served it (the bytes its hashes are of): from
 * `<article id="notice"` to the first `</article>` after it; undefined when the page has none. A page
 * saved by a browser's "save as" is re-serialised and may differ; save it with curl or wget, or
 * download the article itself (…/article.html).
 */
export function extractArticle(page: string): string | undefined {
  const start = page.indexOf(ARTICLE_START);
  if (start < 0) return undefined;
  const end = page.indexOf("</article>", start);
  return end < 0 ? undefined : page.slice(start, end + "</article>".length);
}
