import type { Lang } from "../../engine/errors.js";
import { html } from "./html.js";
import { day, minute, SOURCE, words } from "./text.js";

/** A unit as the publication's public view holds it (publication/public-view.ts): only what the plan shows. */
export interface PublicUnit {
  unit: string;
  name: string;
  nameEn?: string;
  category: string | null;
  categoryEn?: string;
  total?: number;
  rank?: number | null;
  grade?: string | null;
  titles?: string[];
}

/** What a notice's article is made of, all of it fixed at publication. */
export interface NoticeContent {
  plan: string;
  planEn?: string | undefined;
  publishedAt: Date;
  noticeUntil: Date;
  /** The plan's grades, to name a grade in each language. */
  grades: readonly { code: string; name?: string | undefined; nameEn?: string | undefined }[];
  units: readonly PublicUnit[];
}

const gradeName = (content: NoticeContent, grade: string, lang: Lang) => {
  const g = content.grades.find((x) => x.code === grade || x.name === grade);
  return (lang === "en" ? (g?.nameEn ?? g?.name) : g?.name) ?? grade;
};

/** The notice's title in a language (the plan's English name where it has one). */
export const noticeTitle = (content: Pick<NoticeContent, "plan" | "planEn">, lang: Lang): string =>
  words[lang].noticeTitle(lang === "en" ? (content.planEn ?? content.plan) : content.plan);

/** The units by category, in the view's order (categories in the plan's order, by rank within each). */
function byCategory(units: readonly PublicUnit[]) {
  const groups = new Map<string | null, PublicUnit[]>();
  for (const u of units) groups.set(u.category, [...(groups.get(u.category) ?? []), u]);
  return [...groups.entries()];
}

/**
 * The notice's article: title, date, source, the lead paragraph and one table per category, sorted by
 * rank, with only the columns the plan lets the public see. Rendered once at publication and stored:
 * its bytes are what the recorded hashes are of, so nothing here may depend on the request or on state
 * that changes later (status, views and links live outside it, in the page around it).
 */
export function renderNoticeArticle(content: NoticeContent, lang: Lang): string {
  const w = words[lang];
  const plan = lang === "en" ? (content.planEn ?? content.plan) : content.plan;
  const has = (key: keyof PublicUnit) => content.units.some((u) => key in u);
  const columns = {
    rank: has("rank"),
    total: has("total"),
    grade: has("grade"),
    titles: has("titles"),
  };
  const tables = byCategory(content.units).map(([category, units], k) => {
    const name =
      category === null ? w.uncategorised : lang === "en" ? (units[0]!.categoryEn ?? category) : category;
    return html`
<section aria-labelledby="cat-${k}">
<h2 id="cat-${k}">${name}</h2>
<div class="table-wrap">
<table>
<caption>${w.tableOf(name)}</caption>
<thead><tr>${columns.rank && html`<th scope="col">${w.rank}</th>`}<th scope="col">${w.unit}</th>${columns.total && html`<th scope="col">${w.total}</th>`}${columns.grade && html`<th scope="col">${w.grade}</th>`}${columns.titles && html`<th scope="col">${w.titles}</th>`}</tr></thead>
<tbody>
${units.map(
  (u) =>
    html`<tr>${columns.rank && html`<td class="num">${u.rank ?? "—"}</td>`}<th scope="row">${lang === "en" ? (u.nameEn ?? u.name) : u.name}</th>${columns.total && html`<td class="num">${u.total ?? "—"}</td>`}${columns.grade && html`<td>${u.grade ? gradeName(content, u.grade, lang) : "—"}</td>`}${columns.titles && html`<td>${u.titles?.length ? u.titles.join(lang === "en" ? ", " : "、") : "—"}</td>`}</tr>
`,
)}</tbody>
</table>
</div>
</section>`;
  });
  return html`<article id="notice" class="notice" lang="${lang}">
<h1>${noticeTitle(content, lang)}</h1>
<p class="meta"><span>${w.published}${w.colon}<time datetime="${content.publishedAt.toISOString()}">${day(content.publishedAt)}</time></span> <span>${w.source}${w.colon}${SOURCE[lang]}</span></p>
<div class="body">
<p class="lead">${w.lead(plan, minute(content.noticeUntil))}</p>
${tables}
<p class="sign">${SOURCE[lang]}<br><time datetime="${content.publishedAt.toISOString()}">${day(content.publishedAt)}</time></p>
</div>
</article>`.text;
}
