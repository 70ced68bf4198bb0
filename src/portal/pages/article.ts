import type { Lang } from "../../engine/errors.js";
import { categoryChart } from "./chart.js";
import { html } from "./html.js";
import { type NoticeColumn, type NoticeContent, NUMERIC, noticeModel } from "./notice-model.js";
import { words } from "./text.js";

export { type NoticeContent, noticeTitle, type PublicUnit } from "./notice-model.js";

/**
 * The notice's article: title, date, source, the lead paragraph and one table per category, sorted by
 * rank, with only the columns the plan lets the public see (noticeModel), each with its chart. Rendered once at publication
 * (and, as the final results notice, once more at finalisation: `content.finalisedAt`) and stored: its bytes are what the recorded hashes are of, so nothing here may depend on the request
 * or on state that changes later (status, views and links live outside it, in the page around it).
 */
export function renderNoticeArticle(content: NoticeContent, lang: Lang): string {
  const w = words[lang];
  const m = noticeModel(content, lang);
  const cell = (key: NoticeColumn, text: string) =>
    NUMERIC.has(key) ? html`<td class="num">${text}</td>` : html`<td>${text}</td>`;
  const tables = m.tables.map(
    (table, k) => html`
<section aria-labelledby="cat-${k}">
<h2 id="cat-${k}">${table.name}</h2>
${categoryChart({ lang, id: `chart-${k}`, category: table.name, rows: table.chart, grades: m.grades })}
<div class="table-wrap">
<table>
<caption>${table.caption}</caption>
<thead><tr>${m.order.map((c) => html`<th scope="col">${m.headers[c]}</th>`)}</tr></thead>
<tbody>
${table.rows.map(
  (row) =>
    html`<tr>${m.order.map((c) => (c === "unit" ? html`<th scope="row">${row.name}</th>` : cell(c, row.cells[c])))}</tr>
`,
)}</tbody>
</table>
</div>
</section>`,
  );
  return html`<article id="notice" class="notice" lang="${lang}">
<h1>${m.title}</h1>
<p class="meta"><span>${w.published}${w.colon}<time datetime="${m.issuedAt.toISOString()}">${m.day}</time></span> <span>${w.source}${w.colon}${m.source}</span></p>
<div class="body">
<p class="lead">${m.lead}</p>
${tables}
<p class="sign">${m.source}<br><time datetime="${m.issuedAt.toISOString()}">${m.day}</time></p>
</div>
</article>`.text;
}
