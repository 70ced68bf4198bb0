import type { Lang } from "../engine/errors.js";
import { zhNumber } from "./numerals.js";
import type { Bulletin, Fact, Sentence } from "./types.js";

/*
 * A drafted bulletin as Markdown or HTML, Chinese first and English after it, every sentence with its
 * facts: a footnote in Markdown, a title (shown on hover) and data-facts in HTML. Pure.
 */

const LABELS = {
  "zh-CN": { date: "发布日期", source: "信息来源", colon: "：", sep: "；", end: "。", gap: "　" },
  en: { date: "Published", source: "Source", colon: ": ", sep: "; ", end: ".", gap: " · " },
} as const;

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const factText = (f: Fact) => `${f.id}.${f.field}${f.year !== undefined ? `(${f.year})` : ""} = ${f.value}`;
const sectionNumber = (n: number, lang: Lang) => (lang === "zh-CN" ? `（${zhNumber(n)}）` : `${n}.`);

/** The paragraphs of one language: [heading?, sentences][] in reading order. */
function paragraphs(b: Bulletin, lang: Lang): { heading?: string; sentences: Sentence[] }[] {
  return [
    { sentences: b.lead },
    { sentences: b.highlights },
    ...b.sections.map((s) => ({
      heading: `${sectionNumber(s.number, lang)}${lang === "en" ? " " : ""}${s.title[lang]}`,
      sentences: s.sentences,
    })),
  ].filter((p) => p.sentences.length > 0);
}

/** Markdown, one language after the other; footnote n lists the facts of sentence n. */
export function bulletinMarkdown(b: Bulletin, langs: readonly Lang[] = ["zh-CN", "en"]): string {
  const parts: string[] = [];
  for (const lang of langs) {
    const l = LABELS[lang];
    const notes: string[] = [];
    // Footnote ids differ by language (z1, e1) so that both versions can share one document.
    const cite = (s: Sentence) => {
      const id = `${lang === "en" ? "e" : "z"}${notes.length + 1}`;
      notes.push(`[^${id}]: ${s.facts.map(factText).join("; ")}`);
      return `${lang === "en" ? capital(s.en) : s[lang]}[^${id}]`;
    };
    const lines = [
      `# ${b.title[lang]}`,
      "",
      `${l.date}${l.colon}${b.date}${l.gap}${l.source}${l.colon}${b.source[lang]}`,
      "",
    ];
    for (const p of paragraphs(b, lang)) {
      if (p.heading) lines.push(`## ${p.heading}`, "");
      lines.push(`${p.sentences.map(cite).join(l.sep)}${l.end}`, "");
    }
    parts.push([...lines, ...notes].join("\n"));
  }
  return `${parts.join("\n\n---\n\n")}\n`;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

/**
 * The body of one language (no title, no date line): headings and paragraphs, each sentence a
 * `<span class="fact">` with its facts — what the office edits before publishing (docs/bulletins.md).
 */
export function bulletinBodyHtml(b: Bulletin, lang: Lang): string {
  const l = LABELS[lang];
  const span = (s: Sentence) => {
    const facts = escapeHtml(s.facts.map(factText).join("; "));
    return `<span class="fact" title="${facts}" data-facts="${facts}">${escapeHtml(lang === "en" ? capital(s.en) : s[lang])}</span>`;
  };
  return paragraphs(b, lang)
    .map(
      (p) =>
        `${p.heading ? `<h2>${escapeHtml(p.heading)}</h2>\n` : ""}<p>${p.sentences.map(span).join(escapeHtml(l.sep))}${l.end}</p>`,
    )
    .join("\n");
}

/** An HTML fragment (no scripts, no styles): one <article> per language, each sentence a <span> with its facts. */
export function bulletinHtml(b: Bulletin, langs: readonly Lang[] = ["zh-CN", "en"]): string {
  return langs
    .map((lang) => {
      const l = LABELS[lang];
      return [
        `<article lang="${lang}">`,
        `<h1>${escapeHtml(b.title[lang])}</h1>`,
        `<p class="meta">${l.date}${l.colon}<time datetime="${escapeHtml(b.date)}">${escapeHtml(b.date)}</time>${l.gap}${l.source}${l.colon}${escapeHtml(b.source[lang])}</p>`,
        bulletinBodyHtml(b, lang),
        "</article>",
      ].join("\n");
    })
    .join("\n");
}
