import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_PAGE_CHARS, scanPage } from "./index.js";

const fixtures = join(import.meta.dirname, "..", "..", "..", "test", "fixtures", "portal");
const page = (body: string, head = "") =>
  `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>公示</title>${head}</head><body>\n${body}\n</body></html>`;
const codes = (html: string, ownHosts: string[] = []) => scanPage(html, { ownHosts }).map((f) => f.code);

describe("scanPage on the seed and on a clean notice", () => {
  it("flags the seed document as injected, with reasons and places", () => {
    const source = readFileSync(join(fixtures, "seed-spammed-notice.txt"), "utf8");
    const findings = scanPage(source);
    const terms = findings.filter((f) => f.code === "term");
    expect(terms.map((f) => f.reason.en)).toEqual([
      expect.stringContaining('gambling term "365bet"'),
      expect.stringContaining('gambling term "娱乐场"'),
    ]);
    // The replaced city name: in the title line and seven times in the body.
    expect(terms[0]).toMatchObject({ line: 22, count: 8 });
    expect(findings.find((f) => f.code === "unknown-element")).toMatchObject({
      element: "<delect>",
      line: 7,
      count: 2,
    });
    expect(findings.find((f) => f.code === "duplicate-id")).toMatchObject({ line: 1, count: 20 });
    expect(terms.map((f) => [f.line, f.column])).toEqual([
      [22, 12],
      [22, 32],
    ]);
    expect(findings.find((f) => f.code === "unknown-element")).toMatchObject({ column: 1 });
    // Each place is where the source has what the finding names: the term, or the element's tag.
    const lines = source.split("\n");
    for (const f of findings) {
      const named = f.code === "term" ? /"([^"]+)"/.exec(f.reason.en)?.[1] : /^<[\w-]+/.exec(f.element)?.[0];
      expect(named, f.element).toBeDefined();
      expect(lines[f.line - 1]?.slice(f.column - 1, f.column - 1 + named!.length).toLowerCase(), f.code).toBe(
        named,
      );
      expect(f.reason["zh-CN"].length, f.code).toBeGreaterThan(0);
    }
  });

  it("passes a clean notice: skip link, print-only rule, same-site, tel: and mailto: links", () => {
    expect(scanPage(readFileSync(join(fixtures, "clean-notice.html"), "utf8"))).toEqual([]);
  });
});

describe("scanPage finds each kind of tampering", () => {
  it("links and resources on other hosts, but not on its own", () => {
    const html = page(
      `<a href="https://www.365bet.example/x">link</a> <a href="//spam.example/">p</a> <img src="http://img.example/a.png" alt="">
       <a href="http://portal.example:8080/public/">own</a> <a href="/public/results">relative</a> <form action="https://evil.example/"></form>`,
    );
    const found = scanPage(html, { ownHosts: ["portal.example:8080"] });
    expect(found.map((f) => [f.code, f.line])).toEqual([
      ["external-link", 2],
      ["external-link", 2],
      ["external-resource", 2],
      ["external-link", 3],
    ]);
    expect(found[0]?.reason.en).toBe("a link to another host (www.365bet.example)");
    expect(found[0]?.element).toBe('<a href="https://www.365bet.example/x">');
    expect(codes(page(`<a href="https://portal.example/">x</a>`), ["portal.example"])).toEqual([]);
  });

  it("scripts: inline, from another host, in event attributes and javascript: URLs; not JSON data", () => {
    expect(codes(page(`<script>document.write("x")</script>`))).toEqual(["script"]);
    expect(codes(page(`<script src="https://cdn.example/a.js"></script>`))).toEqual(["script"]);
    expect(codes(page(`<script src="/assets/app.js"></script>`))).toEqual([]);
    expect(codes(page(`<div onmouseover="go()">x</div>`))).toEqual(["script"]);
    expect(codes(page(`<a href=" java\nscript:go()">x</a>`))).toEqual(["script"]);
    expect(codes(page(`<script type="application/ld+json">{"a":1}</script>`))).toEqual([]);
  });

  it("frames and meta refreshes", () => {
    expect(codes(page(`<iframe src="/public/chart"></iframe>`))).toEqual(["iframe"]);
    expect(codes(page(`<embed src="/x.swf">`))).toEqual(["iframe"]);
    const refresh = scanPage(page("", `<meta http-equiv="Refresh" content="0;url=https://spam.example/">`));
    expect(refresh.map((f) => f.code)).toEqual(["meta-refresh"]);
    expect(refresh[0]?.element).toContain("https://spam.example/");
  });

  it("hidden elements that hide links or text, however they are hidden", () => {
    for (const style of [
      "display:none",
      "visibility: hidden",
      "position:absolute;left:-9999px",
      "text-indent:-10000px",
      "font-size:1px",
      "font-size: 0",
      "height:0;overflow:hidden",
      "opacity:0",
    ]) {
      const found = scanPage(page(`<div style="${style}"><a href="https://a.example/">博彩</a></div>`));
      expect(
        found.map((f) => f.code),
        style,
      ).toContain("hidden");
    }
    const bySheet = scanPage(
      page(
        `<p class="x y">正文</p><div id="z"><a href="/a">a</a></div>`,
        "<style>.y{display:none}#z{visibility:hidden}</style>",
      ),
    );
    expect(bySheet.map((f) => [f.code, f.element])).toEqual([
      ["hidden", '<p class="x y">'],
      ["hidden", '<div id="z">'],
    ]);
    expect(codes(page(`<p hidden>隐藏文字</p>`))).toEqual(["hidden"]);
  });

  it("does not flag hidden boxes that hide nothing, nested ones twice, or what is hidden only in print", () => {
    expect(codes(page(`<div style="display:none"> </div>`))).toEqual([]);
    expect(codes(page(`<div style="display:none"><span style="display:none">文字</span></div>`))).toEqual([
      "hidden",
    ]);
    expect(
      codes(page(`<div class="np">页脚</div>`, "<style>@media print { .np { display: none } }</style>")),
    ).toEqual([]);
    expect(codes(page(`<p style="font-size:16px;left:-10px">正文</p>`))).toEqual([]);
  });

  it("gambling and pornography terms in zh and en, as whole English words only", () => {
    const found = scanPage(
      page(
        `<p>欢迎访问真人娱乐平台</p>\n<p>Online CASINO here</p>`,
        `<meta name="keywords" content="成人视频,porn">`,
      ),
    );
    expect(found.map((f) => f.reason.en)).toEqual([
      expect.stringContaining('pornography term "成人视频"'),
      expect.stringContaining('pornography term "porn"'),
      expect.stringContaining('gambling term "真人娱乐"'),
      expect.stringContaining('gambling term "casino"'),
    ]);
    expect(found.map((f) => f.line)).toEqual([1, 1, 2, 3]);
    expect(
      codes(page(`<p>Between the alphabet and the pornographic? No: betting on a bet365 site.</p>`)),
    ).toEqual(["term", "term"]);
    expect(codes(page(`<p>关于开展打击赌博违法犯罪活动的通告；福利彩票发行情况</p>`))).toEqual([]);
  });

  it("counts a term repeated many times in one text, placing only the first", () => {
    const found = scanPage(page(`<p>正文\n${"百家乐 ".repeat(50_000)}</p>`));
    expect(found).toMatchObject([{ code: "term", line: 3, column: 1, count: 50_000 }]);
  });

  it("refuses a page larger than its bound", () => {
    expect(() => scanPage("x".repeat(MAX_PAGE_CHARS + 1))).toThrow(RangeError);
  });

  it("walks junk nested deeper than a recursive walk could", () => {
    const deep = `${"<span>".repeat(12_000)}百家乐${"</span>".repeat(12_000)}`;
    expect(codes(page(deep))).toEqual(["term"]);
  });
});
