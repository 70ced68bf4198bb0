import { checkInput } from "./check-input.js";
import { indicatorStatement, type Statement } from "./statements.js";
import type {
  AssessmentResult,
  Bilingual,
  Bulletin,
  BulletinInput,
  BulletinSection,
  Fact,
  Sentence,
} from "./types.js";

const PROVINCE: Bilingual = { "zh-CN": "全省", en: "in the province" };
/** Key indicators picked for the lead paragraph when the plan marks none. */
const HIGHLIGHTS = 4;

const gradeFact = (r: AssessmentResult): Fact => ({ id: r.id, field: "grade", value: r.grade["zh-CN"] });

/**
 * "荣获2022年度目标责任制考核优秀单位及人才工作目标责任制考核优胜单位": the commendable grades, the
 * second assessment's name without the year the first already gave (as the seed writes it).
 */
function honours(unit: Bilingual, results: readonly AssessmentResult[]): Sentence | null {
  const won = results.filter((r) => r.commendable);
  if (won.length === 0) return null;
  const year = /^\d{4}年度/.exec(won[0]!.assessment["zh-CN"])?.[0];
  // A grade and a title of one assessment share its name: "…考核优秀单位及优胜单位".
  const same = (i: number) => i > 0 && won[i - 1]!.assessment["zh-CN"] === won[i]!.assessment["zh-CN"];
  const zh = won.map((r, i) => {
    const name = same(i) ? "" : r.assessment["zh-CN"];
    return `${i > 0 && year && name.startsWith(year) ? name.slice(year.length) : name}${r.grade["zh-CN"]}`;
  });
  const en = won.map((r, i) =>
    i + 1 < won.length && same(i + 1) ? r.grade.en : `${r.grade.en} in the ${r.assessment.en}`,
  );
  return {
    "zh-CN": `${unit["zh-CN"]}荣获${zh.join("及")}`,
    en: `${unit.en} was rated ${en.length > 1 ? `${en.slice(0, -1).join(", ")} and ${en.at(-1)}` : en[0]}`,
    facts: won.map(gradeFact),
  };
}

/** The grades that are not announced as honours, stated plainly. */
const plainResults = (unit: Bilingual, results: readonly AssessmentResult[]): Sentence[] =>
  results
    .filter((r) => !r.commendable)
    .map((r) => ({
      "zh-CN": `${unit["zh-CN"]}${r.assessment["zh-CN"]}等次为${r.grade["zh-CN"]}`,
      en: `${unit.en} was graded ${r.grade.en} in the ${r.assessment.en}`,
      facts: [gradeFact(r)],
    }));

/**
 * Drafts a bulletin (喜报/通报) for a unit from its results and history, in the seed's structure:
 * title, date, source, a lead paragraph with the grades, a paragraph with the key indicators, and one
 * numbered section per indicator group. Every sentence lists the facts it states, and a sentence is
 * only said when the data support it (see statements.ts). Pure: no I/O.
 * Throws BulletinInputError for input it cannot rely on.
 */
export function draftBulletin(input: BulletinInput): Bulletin {
  checkInput(input);
  const scope = input.rankScope ?? PROVINCE;
  const statements = new Map<string, Statement>();
  for (const ind of input.indicators) {
    const s = indicatorStatement(ind, input.year, scope);
    if (s) statements.set(ind.id, s);
  }
  const leadGroups = new Set(input.groups.filter((g) => g.lead).map((g) => g.id));
  const groupOf = new Map(input.indicators.map((i) => [i.id, i.group]));
  const inLead = (id: string) => leadGroups.has(groupOf.get(id) ?? "");
  const highlightIds =
    leadGroups.size > 0
      ? [...statements.keys()].filter(inLead)
      : [...statements.entries()]
          .filter(([, s]) => s.weight > 0)
          .sort((a, b) => b[1].weight - a[1].weight)
          .slice(0, HIGHLIGHTS)
          .map(([id]) => id);
  const highlighted = new Set(highlightIds);
  const sections: BulletinSection[] = [];
  for (const g of input.groups.filter((g) => !g.lead)) {
    const sentences = input.indicators
      .filter((i) => i.group === g.id && !highlighted.has(i.id) && statements.has(i.id))
      .map((i) => statements.get(i.id)!.sentence);
    if (sentences.length > 0) sections.push({ number: sections.length + 1, title: g.title, sentences });
  }
  const honour = honours(input.unit, input.results);
  const title: Sentence = honour
    ? { "zh-CN": `喜报！${honour["zh-CN"]}！`, en: `Good news: ${honour.en}`, facts: honour.facts }
    : {
        "zh-CN": `${input.unit["zh-CN"]}${input.year}年度考核结果通报`,
        en: `${input.unit.en}: results of the ${input.year} assessments`,
        facts: input.results.map(gradeFact),
      };
  return {
    title,
    date: input.date,
    source: input.source,
    lead: [...(honour ? [honour] : []), ...plainResults(input.unit, input.results)],
    highlights: highlightIds.map((id) => statements.get(id)!.sentence),
    sections,
    sources: Object.fromEntries([
      ...input.results.map((r) => [r.id, r.assessment] as const),
      ...input.indicators.map((i) => [i.id, i.name] as const),
    ]),
  };
}
