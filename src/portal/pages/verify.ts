import { type Html, html } from "./html.js";
import { href, page, type View } from "./layout.js";
import { type NoticeLink, noticePath } from "./notice.js";
import { day, words } from "./text.js";

/** A notice a hash belongs to, and whether the hash is of its article or of its PDF. */
type Found = NoticeLink & { kind?: "article" | "pdf"; edition?: "notice" | "final" };

/** What was asked and found: a hash typed in, a file uploaded, or a form that could not be read. */
export type VerifyAsked =
  | { hash: string; found: Found | null }
  | { file: string; found: Found | null; tooLarge: boolean }
  | { problem: "form" };

function verdict(view: View, asked: VerifyAsked): Html {
  const w = words[view.lang];
  if ("problem" in asked) return html`<p class="verdict bad" role="status">${w.verifyBadForm}</p>`;
  if ("file" in asked && asked.tooLarge)
    return html`<p class="verdict bad" role="status">${asked.file}${w.colon}${w.verifyTooLarge}</p>`;
  const what = "file" in asked ? html`${asked.file}${w.colon}` : "";
  return asked.found
    ? html`<p class="verdict ok" role="status">${what}${"file" in asked ? w.verifyFileFound : w.verifyFound} <a href="${href(asked.found.path ?? noticePath(asked.found.id), view)}">${asked.found.title}</a>${asked.found.edition === "final" ? w.verifyFinal : asked.found.edition === "notice" && asked.found.status !== "notice" ? w.verifyNotice : ""}${asked.found.kind === "pdf" ? w.verifyPdf : ""} (${day(asked.found.publishedAt)})</p>`
    : html`<p class="verdict bad" role="status">${what}${"file" in asked ? w.verifyFileMissing : w.verifyMissing}</p>`;
}

/**
 * The hash check, without JavaScript: a hash typed in (GET, cacheable) or a saved page uploaded
 * (POST, a form); either says whether it is what the portal published.
 */
export function verifyPage(view: View, asked?: VerifyAsked): string {
  const w = words[view.lang];
  const hash = asked && "hash" in asked ? asked.hash : "";
  return page({
    view,
    path: "/portal/verify",
    title: w.verifyTitle,
    crumbs: [{ label: w.home, path: "/portal" }, { label: w.verifyTitle }],
    main: html`<h1>${w.verifyTitle}</h1>
${asked && verdict(view, asked)}
<section aria-labelledby="by-hash"><h2 id="by-hash">${w.verifyByHash}</h2>
<p>${w.verifyHowTo}</p>
<form method="get" action="/portal/verify">
${view.lang === "en" && html`<input type="hidden" name="lang" value="en">`}
<label for="hash">${w.verifyLabel}</label>
<input id="hash" name="hash" type="text" value="${hash}" autocomplete="off" spellcheck="false" maxlength="64">
<button type="submit">${w.verifySubmit}</button>
</form></section>
<section aria-labelledby="by-file"><h2 id="by-file">${w.verifyByFile}</h2>
<p>${w.verifyFileHowTo}</p>
<form method="post" action="${href("/portal/verify", view)}" enctype="multipart/form-data">
<label for="file">${w.verifyFileLabel}</label>
<input id="file" name="file" type="file" accept=".html,.htm,.pdf,text/html,text/plain,application/pdf">
<button type="submit">${w.verifySubmit}</button>
</form></section>`,
  });
}
