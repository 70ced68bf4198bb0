import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultCrawlLimits, fetchPages } from "../../src/portal/fetch-pages.js";
import { runCli as cli } from "../helpers/run-cli.js";

const fixtures = join(import.meta.dirname, "..", "fixtures", "portal");
const seed = join(fixtures, "seed-spammed-notice.txt");
const clean = join(fixtures, "clean-notice.html");
const dir = mkdtempSync(join(tmpdir(), "kaohe-portal-"));

const html = (body: string) =>
  `<!DOCTYPE html><html lang="zh-CN"><head><title>公示</title></head><body>${body}</body></html>`;
/** A small site on loopback: a clean home page linking to a clean and a tampered notice, and worse. */
const site: Record<
  string,
  { status?: number; type?: string; body: string; location?: string; delayMs?: number }
> = {
  "/": {
    body: html(
      `<a href="/a">公示</a> <a href="/b#top">通报</a> <a href="/chart.svg">图</a> <a href="https://other.example/">外站</a>`,
    ),
  },
  "/a": { body: html(`<a href="/">首页</a><p>关于2022年度考核结果的公示</p>`) },
  "/b": { body: html(`<div style="display:none"><a href="https://www.365bet.example/">365bet</a></div>`) },
  "/chart.svg": { type: "image/svg+xml", body: "<svg/>" },
  "/away": { status: 302, location: "https://spam.example/", body: "" },
  "/slow": { body: html("<p>慢</p>"), delayMs: 2_000 },
  "/big": { body: html(`<p>${"考".repeat(2_000)}</p>`) },
};
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const page = site[req.url ?? ""];
    if (!page) return void res.writeHead(404).end();
    const send = () =>
      res
        .writeHead(page.status ?? 200, {
          "content-type": page.type ?? "text/html; charset=utf-8",
          ...(page.location ? { location: page.location } : {}),
        })
        .end(page.body);
    page.delayMs ? setTimeout(send, page.delayMs) : send();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("kaohe portal check --file", () => {
  it("flags the seed document with each finding's place and reason, exit 1", async () => {
    const r = await cli(["portal", "check", "--file", seed]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${seed}: 5 finding(s)`);
    expect(r.out).toMatch(/22:12 +term +<body> text {2}gambling term "365bet": .*\(8 times\)/);
    expect(r.out).toMatch(/7:1 +unknown-element +<delect> {2}<delect> is no HTML element/);
    expect(r.out).toContain("1 page(s) checked, 1 failed");
  });

  it("passes the clean notice (exit 0), in Chinese by default", async () => {
    const r = await cli(["portal", "check", "--file", clean], "zh-CN");
    expect(r).toMatchObject({ code: 0, out: `${clean}：未发现篡改迹象\n共检查 1 个页面，全部通过` });
  });

  it("--format json: every finding with code, place, element and both languages' reasons", async () => {
    const r = await cli(["portal", "check", "--file", clean, "--file", seed, "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.passed).toBe(false);
    expect(report.pages.map((p: { findings: unknown[] }) => p.findings.length)).toEqual([0, 5]);
    expect(report.pages[1].findings[3]).toEqual({
      code: "term",
      line: 22,
      column: 12,
      element: "<body> text",
      reason: {
        "zh-CN": expect.stringContaining("赌博用语“365bet”"),
        en: expect.stringContaining("gambling term"),
      },
      count: 8,
    });
  });

  it("reads a page saved in GBK by its meta charset", async () => {
    const file = join(dir, "gbk.html");
    writeFileSync(
      file,
      Buffer.from([
        ...Buffer.from('<meta charset="gbk"><p>'),
        0xb6,
        0xc4,
        0xb3,
        0xa1,
        ...Buffer.from("</p>"),
      ]),
    );
    const r = await cli(["portal", "check", "--file", file]);
    expect(r.out).toContain('gambling term "赌场"');
  });

  it("counts links to the --host given as the site's own", async () => {
    const file = join(dir, "own.html");
    writeFileSync(file, html(`<a href="https://www.example.gov.cn/x">本站</a>`));
    expect((await cli(["portal", "check", "--file", file])).code).toBe(1);
    expect((await cli(["portal", "check", "--file", file, "--host", "www.example.gov.cn"])).code).toBe(0);
  });

  it("names the file it cannot read or will not read, and refuses bad usage", async () => {
    const big = join(dir, "big.html");
    writeFileSync(big, Buffer.alloc(5 * 1024 * 1024 + 1, 0x20));
    expect(await cli(["portal", "check", "--file", big])).toMatchObject({
      code: 1,
      err: `${big}: larger than 5242880 bytes; not checked`,
    });
    expect(await cli(["portal", "check", "--file", join(dir, "none.html")])).toMatchObject({
      code: 1,
      err: expect.stringContaining("ENOENT"),
    });
    expect((await cli(["portal", "check", "--file", clean, "--format", "csv"])).code).toBe(2);
    expect((await cli(["portal", "check", "--base", "ftp://x/"])).code).toBe(2);
    expect((await cli(["portal", "check", "--base", base, "--max-pages", "0"])).code).toBe(2);
  });
});

describe("kaohe portal check --base", () => {
  it("fetches the page and those it links to on the same site, and reports each", async () => {
    const r = await cli(["portal", "check", "--base", `${base}/`, "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    // The SVG is not HTML, and the other host's page is not fetched: its link is the home page's finding.
    expect(report.pages.map((p: { source: string }) => p.source.slice(base.length))).toEqual([
      "/",
      "/a",
      "/b",
    ]);
    expect(report.pages[0].findings.map((f: { code: string }) => f.code)).toEqual(["external-link"]);
    expect(report.pages[1].findings).toEqual([]);
    expect(report.pages[2].findings.map((f: { code: string }) => f.code)).toEqual([
      "hidden",
      "external-link",
      "term",
    ]);
  });

  it("says when the page limit left pages out, and fails", async () => {
    const r = await cli(["portal", "check", "--base", `${base}/a`, "--max-pages", "1"]);
    expect(r).toMatchObject({
      code: 1,
      out: expect.stringContaining("1 more page(s) not checked (page or time limit)"),
    });
  });

  it("reports a page it cannot vouch for: a redirect to another site, a missing page, too large, too slow", async () => {
    const limits = { ...defaultCrawlLimits, maxBytes: 4_000, pageTimeoutMs: 500 };
    const { pages } = await fetchPages(
      [`${base}/away`, `${base}/missing`, `${base}/big`, `${base}/slow`],
      limits,
    );
    expect(pages.map((p) => ("problem" in p ? p.problem.en : "ok"))).toEqual([
      "redirects to another site: https://spam.example/",
      "the server answered 404",
      "the page is larger than 4000 bytes",
      expect.stringContaining("could not be fetched"),
    ]);
  });

  it("stops at the time limit in all", async () => {
    const limits = { ...defaultCrawlLimits, totalTimeoutMs: 300 };
    const { pages } = await fetchPages([`${base}/slow`, `${base}/a`], limits);
    expect(pages).toEqual([
      {
        url: `${base}/slow`,
        problem: expect.objectContaining({ en: "stopped at the time limit of 300 ms" }),
      },
    ]);
  });
});
