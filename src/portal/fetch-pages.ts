import type { Lang } from "../engine/errors.js";
import { sameOriginLinks } from "./check/links.js";
import { decodePage, MAX_PAGE_BYTES } from "./read-page.js";

/** How far `kaohe portal check --base` goes: pages, bytes a page, and time (a page, and in all). */
export interface CrawlLimits {
  maxPages: number;
  maxBytes: number;
  pageTimeoutMs: number;
  totalTimeoutMs: number;
}

export const defaultCrawlLimits: CrawlLimits = {
  maxPages: 200,
  maxBytes: MAX_PAGE_BYTES,
  pageTimeoutMs: 10_000,
  totalTimeoutMs: 120_000,
};

export type FetchedPage = { url: string; html: string } | { url: string; problem: Record<Lang, string> };

const MAX_REDIRECTS = 5;

/** Reads a response's body up to `limit` bytes; null when it is longer. */
async function readBounded(res: Response, limit: number): Promise<Uint8Array | null> {
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) {
      await res.body.cancel().catch(() => {});
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const problem = (url: string, zh: string, en: string): FetchedPage => ({ url, problem: { "zh-CN": zh, en } });

/** One page: redirects followed on the same origin only, its body bounded; null when it is no HTML. */
async function fetchOne(url: string, limits: CrawlLimits, signal: AbortSignal): Promise<FetchedPage | null> {
  let at = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const res = await fetch(at, {
      redirect: "manual",
      signal: AbortSignal.any([signal, AbortSignal.timeout(limits.pageTimeoutMs)]),
      headers: { accept: "text/html" },
    });
    if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
      await res.body?.cancel();
      const next = new URL(res.headers.get("location") as string, at);
      if (next.origin !== new URL(url).origin)
        return problem(url, `跳转到其他网站：${next.href}`, `redirects to another site: ${next.href}`);
      at = next.href;
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      return problem(url, `服务器返回 ${res.status}`, `the server answered ${res.status}`);
    }
    const type = res.headers.get("content-type");
    if (type && !/^\s*(text\/html|application\/xhtml\+xml)/i.test(type)) {
      await res.body?.cancel();
      return null;
    }
    const bytes = await readBounded(res, limits.maxBytes);
    if (!bytes)
      return problem(
        url,
        `页面超过 ${limits.maxBytes} 字节`,
        `the page is larger than ${limits.maxBytes} bytes`,
      );
    return { url: at, html: decodePage(bytes, type) };
  }
  return problem(url, `跳转超过 ${MAX_REDIRECTS} 次`, `more than ${MAX_REDIRECTS} redirects`);
}

/**
 * Fetches the given pages and, breadth first, the pages they link to on the same origin, within the
 * limits. A page that cannot be fetched is returned with its problem, since the check cannot vouch
 * for it; links to other hosts are never followed (the scan reports them). `notFetched` counts the
 * pages found but not fetched for the page or time limit.
 */
export async function fetchPages(
  starts: readonly string[],
  limits = defaultCrawlLimits,
): Promise<{ pages: FetchedPage[]; notFetched: number }> {
  const signal = AbortSignal.timeout(limits.totalTimeoutMs);
  const queue = [...new Set(starts.map((s) => new URL(s).href))];
  const seen = new Set(queue);
  const pages: FetchedPage[] = [];
  while (queue.length > 0 && pages.length < limits.maxPages) {
    const url = queue.shift() as string;
    let page: FetchedPage | null;
    try {
      page = await fetchOne(url, limits, signal);
    } catch (e) {
      if (signal.aborted) {
        pages.push(
          problem(
            url,
            `超过总时限 ${limits.totalTimeoutMs} 毫秒，未再检查`,
            `stopped at the time limit of ${limits.totalTimeoutMs} ms`,
          ),
        );
        break;
      }
      const why = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
      page = problem(url, `无法读取：${why}`, `could not be fetched: ${why}`);
    }
    if (!page) continue;
    pages.push(page);
    if ("html" in page)
      for (const link of sameOriginLinks(page.html, page.url))
        if (!seen.has(link)) {
          seen.add(link);
          queue.push(link);
        }
  }
  // Pages found but left out by the page limit: the report says so rather than passing silently.
  return { pages, notFetched: queue.length };
}
