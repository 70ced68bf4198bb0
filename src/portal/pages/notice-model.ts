import type { Lang } from "../../engine/errors.js";
import type { ChartRow } from "./chart.js";
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

/**
 * What a notice is made of, all of it fixed at publication — and, for the final results notice (通报)
 * made when the results are finalised, the moment they were (`finalisedAt`).
 */
export interface NoticeContent {
  plan: string;
  planEn?: string | undefined;
  publishedAt: Date;
  noticeUntil: Date;
  /** Set for the final results notice: it then speaks of the notice period as past and of no objections. */
  finalisedAt?: Date | undefined;
  /** The plan's grades, to name a grade in each language. */
  grades: readonly { code: string; name?: string | undefined; nameEn?: string | undefined }[];
  units: readonly PublicUnit[];
}

export type NoticeColumn = "rank" | "total" | "grade" | "titles";

/** A category's table: its heading, caption and rows as shown ("—" where a unit has no value). */
export interface NoticeTable {
  name: string;
  caption: string;
  rows: { name: string; cells: Record<NoticeColumn, string> }[];
  /** The same units as the chart draws them: numbers and grade names, only where the public sees them. */
  chart: ChartRow[];
}

/**
 * A notice as every rendering of it shows it — the portal's article (article.ts) and the PDF
 * (portal/pdf/notice-pdf.ts) alike: title, date, source, lead paragraph (the notice period and how to
 * object; for the final results notice, the notice period past and the results final), and one table per category in the view's order (categories in the plan's order, by rank
 * within each) with the columns the public view holds (the plan's `publication.show`).
 */
export interface NoticeModel {
  lang: Lang;
  title: string;
  /** When the document was issued: its publication, or for the final results notice its finalisation. */
  issuedAt: Date;
  /** That date (Beijing time) as shown. */
  day: string;
  source: string;
  lead: string;
  /** The columns shown besides the unit's name, in the plan's fixed order. */
  columns: NoticeColumn[];
  /** Every column of a table in order, the unit's name among them (rank first, where shown). */
  order: (NoticeColumn | "unit")[];
  headers: Record<NoticeColumn | "unit", string>;
  tables: NoticeTable[];
  /** The plan's grade names in the language, best first. */
  grades: string[];
}

const gradeName = (content: NoticeContent, grade: string, lang: Lang) => {
  const g = content.grades.find((x) => x.code === grade || x.name === grade);
  return (lang === "en" ? (g?.nameEn ?? g?.name) : g?.name) ?? grade;
};

/**
 * The notice's title in a language (the plan's English name where it has one): the public notice's
 * (…结果公示), or once finalised the final results notice's (关于…结果的通报).
 */
export const noticeTitle = (
  content: Pick<NoticeContent, "plan" | "planEn" | "finalisedAt">,
  lang: Lang,
): string => {
  const plan = lang === "en" ? (content.planEn ?? content.plan) : content.plan;
  return content.finalisedAt ? words[lang].finalTitle(plan) : words[lang].noticeTitle(plan);
};

/** The units by category, in the view's order. */
function byCategory(units: readonly PublicUnit[]) {
  const groups = new Map<string | null, PublicUnit[]>();
  for (const u of units) groups.set(u.category, [...(groups.get(u.category) ?? []), u]);
  return [...groups.entries()];
}

const ORDER: readonly NoticeColumn[] = ["rank", "total", "grade", "titles"];

/** The columns of numbers (set right-aligned). */
export const NUMERIC: ReadonlySet<NoticeColumn | "unit"> = new Set(["rank", "total"]);

/** The notice in a language: every word and cell it shows, decided once for every rendering. */
export function noticeModel(content: NoticeContent, lang: Lang): NoticeModel {
  const w = words[lang];
  const plan = lang === "en" ? (content.planEn ?? content.plan) : content.plan;
  // A column is shown when the public view holds it (publicViewOf keeps only what the plan allows).
  const columns = ORDER.filter((key) => content.units.some((u) => key in u));
  const tables = byCategory(content.units).map(([category, units]): NoticeTable => {
    const name =
      category === null ? w.uncategorised : lang === "en" ? (units[0]!.categoryEn ?? category) : category;
    return {
      name,
      caption: w.tableOf(name),
      rows: units.map((u) => ({
        name: lang === "en" ? (u.nameEn ?? u.name) : u.name,
        cells: {
          rank: String(u.rank ?? "—"),
          total: String(u.total ?? "—"),
          grade: u.grade ? gradeName(content, u.grade, lang) : "—",
          titles: u.titles?.length ? u.titles.join(lang === "en" ? ", " : "、") : "—",
        },
      })),
      chart: units.map((u) => ({
        name: lang === "en" ? (u.nameEn ?? u.name) : u.name,
        total: u.total,
        grade: u.grade ? gradeName(content, u.grade, lang) : undefined,
      })),
    };
  });
  const issuedAt = content.finalisedAt ?? content.publishedAt;
  return {
    lang,
    title: noticeTitle(content, lang),
    issuedAt,
    day: day(issuedAt),
    source: SOURCE[lang],
    lead: content.finalisedAt
      ? w.finalLead(plan, minute(content.publishedAt), minute(content.noticeUntil), day(content.finalisedAt))
      : w.lead(plan, minute(content.noticeUntil)),
    columns,
    order: [...columns.filter((c) => c === "rank"), "unit", ...columns.filter((c) => c !== "rank")],
    headers: { rank: w.rank, unit: w.unit, total: w.total, grade: w.grade, titles: w.titles },
    tables,
    grades: content.grades.map((g) => gradeName(content, g.code, lang)),
  };
}
