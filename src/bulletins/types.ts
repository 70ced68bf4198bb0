import type { Lang } from "../engine/errors.js";

export type Bilingual = Record<Lang, string>;

/** A unit's result in one assessment: "2022年度目标责任制考核" → "优秀单位". */
export interface AssessmentResult {
  id: string;
  assessment: Bilingual;
  grade: Bilingual;
  /** A grade worth announcing (优秀, 优胜, 先进): the plan's top grades. Others are stated plainly. */
  commendable: boolean;
}

/** A group of indicators (a top-level node of the plan): one numbered section of the bulletin. */
export interface IndicatorGroup {
  id: string;
  title: Bilingual;
  /** The plan's key indicators (核心指标): reported in the lead paragraph instead of a section. */
  lead?: boolean;
}

/** `rank`: the value is itself a rank (全省第N位): only the rank is said, and only when worth saying. */
export type IndicatorKind =
  | "ratio"
  | "growth"
  | "count"
  | "amount"
  | "bonus"
  | "milestone"
  | "rank_change"
  | "rank";

/** A rank in an earlier year, for "由第五位提升至第四位" (the year before) and "十年来首次" (all of them). */
export interface PastRank {
  year: number;
  rank: number;
}

/** One indicator's result for the unit: its value, growth, rank and rank history. */
export interface IndicatorResult {
  id: string;
  group: string;
  name: Bilingual;
  kind: IndicatorKind;
  /** The value in `unit`; for yes/no kinds (bonus, milestone) 1 achieved, 0 not. For growth, % year on year. */
  value: number;
  unit: Bilingual;
  /** Growth on the year before, in %, for a value that is not itself a growth rate. */
  change?: number;
  /** Rank among the peers (the province's cities) this year: 1 is best. */
  rank?: number;
  history?: readonly PastRank[];
  /** A bonus item awarded for a first-time achievement (首次获…). */
  firstTime?: boolean;
}

export interface BulletinInput {
  unit: Bilingual;
  /** The assessment year. */
  year: number;
  /** The publication date, yyyy-mm-dd. */
  date: string;
  /** 信息来源. */
  source: Bilingual;
  /** Whom the ranks are among; 全省 / in the province by default. */
  rankScope?: Bilingual;
  results: readonly AssessmentResult[];
  groups: readonly IndicatorGroup[];
  indicators: readonly IndicatorResult[];
}

/** A number a sentence states, and where it comes from: the result or indicator id and its field. */
export interface Fact {
  id: string;
  field: "grade" | "value" | "change" | "rank" | "firstTime";
  value: number | string | boolean;
  /** For a rank of an earlier year. */
  year?: number;
}

/** A sentence in both languages with every fact it states. */
export interface Sentence extends Bilingual {
  facts: Fact[];
}

export interface BulletinSection {
  /** 1-based: （一）, （二） … */
  number: number;
  title: Bilingual;
  sentences: Sentence[];
}

export interface Bulletin {
  title: Sentence;
  date: string;
  source: Bilingual;
  /** The first paragraph: the grades. */
  lead: Sentence[];
  /** The second paragraph: the key indicators. */
  highlights: Sentence[];
  sections: BulletinSection[];
  /** What each fact's id names (a result's assessment, an indicator), so a reader of the facts sees names. */
  sources: Record<string, Bilingual>;
}
