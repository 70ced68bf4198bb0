import { enNumber, enOrdinal, plain, zhNumber } from "./numerals.js";
import { type RankStory, rankStory } from "./ranks.js";
import type { Bilingual, Fact, IndicatorResult, Sentence } from "./types.js";

/** A clause of a sentence: its words and the facts they state. */
type Clause = Bilingual & { facts: Fact[] };

const quantityEn = (value: number, unit: Bilingual) => {
  if (unit.en === "%") return `${plain(value)}%`;
  // A unit that is itself a number (亿元, 100 million yuan) multiplies: "200 × 100 million yuan" states
  // the table's value as it is, where "20 billion" would be a number of no fact.
  if (/^\d/.test(unit.en)) return `${plain(value)} × ${unit.en}`;
  return unit.en ? `${plain(value)} ${unit.en}` : plain(value);
};

/** The value: "技术交易额200亿元", "高新技术产业投资增长48.2%", "…获省政府督查激励（首次）". */
function valueClause(ind: IndicatorResult): Clause | null {
  const value: Fact = { id: ind.id, field: "value", value: ind.value };
  const name = ind.name;
  switch (ind.kind) {
    case "bonus":
    case "milestone": {
      if (ind.value !== 1) return null;
      if (!ind.firstTime) return { "zh-CN": name["zh-CN"], en: name.en, facts: [value] };
      const first: Fact = { id: ind.id, field: "firstTime", value: true };
      return {
        "zh-CN": `${name["zh-CN"]}（首次）`,
        en: `${name.en}, for the first time`,
        facts: [value, first],
      };
    }
    case "rank_change":
      // Places gained: a loss is no "上升". The name says what is counted: English needs no unit.
      if (ind.value <= 0) return null;
      return {
        "zh-CN": `${name["zh-CN"]}${plain(ind.value)}${ind.unit["zh-CN"]}`,
        en: `${name.en}: ${plain(ind.value)}`,
        facts: [value],
      };
    case "growth": {
      const stem = name["zh-CN"].replace(/(增长|增速)$/, "");
      const zh = ind.value >= 0 ? `${stem}增长${plain(ind.value)}%` : `${stem}下降${plain(-ind.value)}%`;
      return {
        "zh-CN": zh,
        en: `${name.en}: ${ind.value >= 0 ? "" : "−"}${plain(Math.abs(ind.value))}%`,
        facts: [value],
      };
    }
    default:
      return {
        "zh-CN": `${name["zh-CN"]}${plain(ind.value)}${ind.unit["zh-CN"]}`,
        en: `${name.en}: ${quantityEn(ind.value, ind.unit)}`,
        facts: [value],
      };
  }
}

/** "同比增长40%" for a value with its growth on the year before. */
function changeClause(ind: IndicatorResult): Clause | null {
  if (ind.change === undefined || ind.kind === "growth") return null;
  const facts: Fact[] = [{ id: ind.id, field: "change", value: ind.change }];
  const c = plain(Math.abs(ind.change));
  return ind.change >= 0
    ? { "zh-CN": `同比增长${c}%`, en: `up ${c}% on the year before`, facts }
    : { "zh-CN": `同比下降${c}%`, en: `down ${c}% on the year before`, facts };
}

/**
 * The rank, said only when worth saying: a rise ("由第五位提升至第四位", with "十年来首次" when the
 * history supports it) or a place in the top three ("全省第一位", "保持全省第一位"). A fall or a
 * middling rank is left out rather than dressed up.
 */
function rankClause(story: RankStory | null, scope: Bilingual): Clause | null {
  if (!story) return null;
  const r = story.rank.value as number;
  const p = story.previous?.value as number | undefined;
  if (p !== undefined && r < p) {
    const rise = `由第${zhNumber(p)}位提升至第${zhNumber(r)}位`;
    const riseEn = `up from ${enOrdinal(p)} to ${enOrdinal(r)} ${scope.en}`;
    if (story.record) {
      const n = story.record.years;
      return {
        "zh-CN": `${zhNumber(n)}年来首次${rise}`,
        en: `${riseEn}, its best in ${enNumber(n)} years`,
        facts: [story.rank, ...story.record.facts],
      };
    }
    return { "zh-CN": rise, en: riseEn, facts: [story.rank, story.previous!] };
  }
  if (r > 3) return null;
  if (p === r)
    return {
      "zh-CN": `保持${scope["zh-CN"]}第${zhNumber(r)}位`,
      en: `${enOrdinal(r)} ${scope.en} again`,
      facts: [story.rank, story.previous!],
    };
  return {
    "zh-CN": `${scope["zh-CN"]}第${zhNumber(r)}位`,
    en: `${enOrdinal(r)} ${scope.en}`,
    facts: [story.rank],
  };
}

export interface Statement {
  sentence: Sentence;
  /** How much it is worth a headline: records, first places and first times first. */
  weight: number;
}

/** An indicator's sentence, or null when the data give nothing to report (not achieved, a loss). */
export function indicatorStatement(ind: IndicatorResult, year: number, scope: Bilingual): Statement | null {
  const story = rankStory(ind, year);
  const ranked = rankClause(story, scope);
  // A rank indicator (省级对口考核位次) is its rank: "…位次由第五位提升至第四位", nothing when not worth saying.
  const value =
    ind.kind === "rank"
      ? ranked && { "zh-CN": ind.name["zh-CN"], en: ind.name.en, facts: [] }
      : valueClause(ind);
  if (!value) return null;
  const clauses = [value, changeClause(ind), ranked].filter((c): c is Clause => c !== null);
  const rank = story?.rank.value as number | undefined;
  const prev = story?.previous?.value as number | undefined;
  const weight =
    (story?.record && prev !== undefined && rank !== undefined && rank < prev ? 4 : 0) +
    (ind.firstTime && ind.value === 1 ? 3 : 0) +
    (rank === 1 ? 3 : rank !== undefined && rank <= 3 ? 2 : 0) +
    (prev !== undefined && rank !== undefined && rank < prev ? 2 : 0) +
    ((ind.change ?? 0) > 0 ? 1 : 0);
  return {
    sentence: {
      "zh-CN": clauses.map((c) => c["zh-CN"]).join(ind.kind === "rank" ? "" : "，"),
      en: clauses.map((c) => c.en).join(ind.kind === "rank" ? ": " : ", "),
      facts: clauses.flatMap((c) => c.facts),
    },
    weight,
  };
}
