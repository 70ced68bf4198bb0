import { describe, expect, it } from "vitest";
import { sameOriginLinks } from "./links.js";

describe("sameOriginLinks", () => {
  it("follows the site's pages, not other hosts nor links typed as files (the notice's PDF)", () => {
    const html = `<a href="/portal/notices/1">notice</a><a href="https://other.example/x">other</a>
<a href="/portal/notices/1/notice.pdf" type="application/pdf">PDF</a><a href="/portal/results" type="text/html">list</a>`;
    expect(sameOriginLinks(html, "http://127.0.0.1:3000/portal")).toEqual([
      "http://127.0.0.1:3000/portal/notices/1",
      "http://127.0.0.1:3000/portal/results",
    ]);
  });
});
