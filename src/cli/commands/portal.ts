import type { Lang } from "../../engine/errors.js";
import { byPlace } from "../../portal/check/finding.js";
import { type Finding, scanPage } from "../../portal/check/index.js";
import { defaultCrawlLimits, fetchPages } from "../../portal/fetch-pages.js";
import { publishedHashFinding } from "../../portal/published-hash.js";
import { decodePage, MAX_PAGE_BYTES } from "../../portal/read-page.js";
import { bilingual, CliError } from "../cli-error.js";
import type { CommandContext } from "../command.js";
import { readTextFile } from "../csv.js";

interface PortalCheckValues {
  file?: string[];
  base?: string[];
  host?: string[];
  "max-pages"?: string;
  format: string;
}

/** The portal `kaohe serve` publishes, on its default address. */
const DEFAULT_BASE = "http://127.0.0.1:3000/portal";

/** One page's outcome: its findings, or why it could not be checked. */
interface PageReport {
  source: string;
  findings: Finding[];
  problem?: Record<Lang, string>;
}

const readPage = (path: string) =>
  readTextFile(path, {
    maxBytes: MAX_PAGE_BYTES,
    tooLarge: bilingual(
      `文件超过 ${MAX_PAGE_BYTES} 字节，未检查`,
      `larger than ${MAX_PAGE_BYTES} bytes; not checked`,
    ),
    decode: (bytes) => decodePage(bytes),
  });

function parseUrl(s: string): URL {
  try {
    const url = new URL(s);
    if (url.protocol === "http:" || url.protocol === "https:") return url;
  } catch {}
  throw new CliError(
    {},
    bilingual(`--base 须为 http(s) 网址：${s}`, `--base must be an http(s) URL: ${s}`),
    2,
  );
}

function positiveInt(s: string | undefined, fallback: number): number {
  if (s === undefined) return fallback;
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 100_000)
    throw new CliError(
      {},
      bilingual("--max-pages 须为 1 至 100000 的整数", "--max-pages must be a whole number from 1 to 100000"),
      2,
    );
  return Number(s);
}

async function crawl(values: PortalCheckValues): Promise<{ reports: PageReport[]; notFetched: number }> {
  const starts = (values.base?.length ? values.base : [DEFAULT_BASE]).map(parseUrl);
  const ownHosts = [...starts.map((u) => u.host), ...(values.host ?? [])];
  const limits = {
    ...defaultCrawlLimits,
    maxPages: positiveInt(values["max-pages"], defaultCrawlLimits.maxPages),
  };
  const { pages, notFetched } = await fetchPages(
    starts.map((u) => u.href),
    limits,
  );
  const signal = AbortSignal.timeout(limits.totalTimeoutMs);
  const reports: PageReport[] = [];
  for (const p of pages) {
    if (!("html" in p)) {
      reports.push({ source: p.url, findings: [], problem: p.problem });
      continue;
    }
    const findings = scanPage(p.html, { ownHosts });
    try {
      // A notice page is also compared with the hash recorded at its publication.
      const changed = await publishedHashFinding(p.html, p.url, signal);
      if (changed) findings.push(changed);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      reports.push({
        source: p.url,
        findings,
        problem: {
          "zh-CN": `无法核对发布时的哈希：${why}`,
          en: `could not compare with the published hash: ${why}`,
        },
      });
      continue;
    }
    reports.push({ source: p.url, findings: findings.sort(byPlace) });
  }
  return { reports, notFetched };
}

const line = (f: Finding, lang: Lang) => {
  const times =
    f.count && f.count > 1 ? (lang === "zh-CN" ? `（共 ${f.count} 处）` : ` (${f.count} times)`) : "";
  return `  ${`${f.line}:${f.column}`.padEnd(9)} ${f.code.padEnd(17)} ${f.element}  ${f.reason[lang]}${times}`;
};

function textReport(reports: PageReport[], notFetched: number, lang: Lang): string {
  const zh = lang === "zh-CN";
  const out: string[] = [];
  for (const r of reports) {
    if (r.problem)
      out.push(
        zh ? `${r.source}：未能检查：${r.problem[lang]}` : `${r.source}: not checked: ${r.problem[lang]}`,
      );
    else if (r.findings.length === 0)
      out.push(zh ? `${r.source}：未发现篡改迹象` : `${r.source}: no sign of tampering`);
    else {
      out.push(
        zh
          ? `${r.source}：发现 ${r.findings.length} 处可疑内容`
          : `${r.source}: ${r.findings.length} finding(s)`,
      );
      out.push(...r.findings.map((f) => line(f, lang)));
    }
  }
  if (notFetched > 0)
    out.push(
      zh
        ? `另有 ${notFetched} 个页面因页数或时间上限未检查`
        : `${notFetched} more page(s) not checked (page or time limit)`,
    );
  const bad = reports.filter((r) => r.problem || r.findings.length > 0).length;
  out.push(
    zh
      ? `共检查 ${reports.length} 个页面，${bad === 0 && notFetched === 0 ? "全部通过" : `${bad} 个未通过`}`
      : `${reports.length} page(s) checked, ${bad === 0 && notFetched === 0 ? "all passed" : `${bad} failed`}`,
  );
  return out.join("\n");
}

/**
 * kaohe portal check [--file F]… [--base URL]…: scans saved pages, or the pages of a running portal,
 * for what tampering leaves (docs/portal-check.md). Exit 0 when every page passes, 1 on any finding,
 * on a page that could not be checked, or on pages left out by the limits; 2 for bad usage.
 */
export async function runPortalCheck({
  values,
  lang,
  out,
}: CommandContext<PortalCheckValues>): Promise<number> {
  if (values.format !== "text" && values.format !== "json")
    throw new CliError({}, bilingual("--format 只能是 text 或 json", "--format must be text or json"), 2);
  if (values.file?.length && values.base?.length)
    throw new CliError({}, bilingual("--file 与 --base 只能选一个", "give --file or --base, not both"), 2);
  const { reports, notFetched }: { reports: PageReport[]; notFetched: number } = values.file?.length
    ? {
        reports: values.file.map((f) => ({
          source: f,
          findings: scanPage(readPage(f), { ownHosts: values.host ?? [] }),
        })),
        notFetched: 0,
      }
    : await crawl(values);
  const passed = notFetched === 0 && reports.every((r) => !r.problem && r.findings.length === 0);
  if (values.format === "json") out(JSON.stringify({ passed, pages: reports, notFetched }, null, 2));
  else out(textReport(reports, notFetched, lang));
  return passed ? 0 : 1;
}
