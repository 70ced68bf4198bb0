import type { DataRow, IndicatorSpec, Plan } from "../engine/index.js";
import type {
  AssessmentResult,
  Bilingual,
  BulletinInput,
  IndicatorGroup,
  IndicatorKind,
  IndicatorResult,
  PastRank,
} from "./types.js";

/*
 * A bulletin's input from a scoring run (the service's `POST /plans/:id/bulletins`, `kaohe bulletin
 * --plan`): the plan as scored, the run's rows and one unit's result, with earlier periods' values of the
 * same indicators where the database has them. Pure: the caller reads the database. What is said from
 * this input is draftBulletin's rule, not this file's: here the plan's words become the core's kinds.
 */

/** One unit's result in the run, as the engine gives it (UnitResult's fields the bulletin reads). */
export interface RunUnitResult {
  unit: string;
  grade: string | null;
  titles: readonly string[];
}

export interface RunBulletinSource {
  plan: Plan;
  /** The run's rows (its frozen inputs), every unit's. */
  rows: readonly DataRow[];
  result: RunUnitResult;
  /** The unit's English name where the plan has none (the organisation's). */
  unitNameEn?: string | undefined;
  /** The unit's values of earlier periods kept elsewhere (earlier plans' approved values), by indicator code. */
  earlier?: readonly DataRow[];
  /** The publication date, yyyy-mm-dd. */
  date: string;
  /**
   * The unit's results in the same year's other assessments (another plan's published run): announced
   * beside this one's, "…目标责任制考核优秀单位及人才工作目标责任制考核优胜单位". Their indicators are not read.
   */
  others?: readonly { plan: Plan; result: RunUnitResult }[];
}

/** The plan's units of measure in English (亿元 → 100 million yuan); a measure word of a count has none. */
const UNITS_EN: Record<string, string> = {
  "%": "%",
  亿元: "100 million yuan",
  万元: "10 thousand yuan",
  元: "yuan",
  人: "persons",
  人次: "person-times",
  位: "places",
  项: "",
  个: "",
  家: "",
  件: "",
  次: "",
  台: "",
};

const unitOf = (spec: IndicatorSpec): Bilingual => {
  const zh = spec.unit ?? (spec.dataType === "percent" ? "%" : "");
  return { "zh-CN": zh, en: UNITS_EN[zh] ?? zh };
};

/** The core's kind of a leaf, or null for one a bulletin does not report (expert marks, scaled marks). */
function kindOf(spec: IndicatorSpec): IndicatorKind | null {
  const rule = spec.rule?.type;
  if (rule === "expert" || rule === "mark" || spec.dataType === "expert") return null;
  if (spec.dataType === "rank" || (spec.rule?.type === "rank" && spec.rule.source === "external"))
    return "rank";
  if (spec.dataType === "yesno" || rule === "yesno") return "milestone";
  if (spec.dataType === "percent") return "ratio";
  if (spec.dataType === "amount") return "amount";
  return "count";
}

/** A period key's year (2022, 2022-Q4 → 2022), or null for one that is not a year. */
const yearOf = (period: string): number | null => {
  const m = /^(\d{4})(?:$|-)/.exec(period);
  return m ? Number(m[1]) : null;
};

const leavesOf = (node: IndicatorSpec): IndicatorSpec[] =>
  node.children?.length ? node.children.flatMap(leavesOf) : [node];

/** "2022年度市直单位工作目标责任制考核方案（示例）" → "2022年度市直单位工作目标责任制考核": the assessment, not its document. */
const assessmentName = (name: string) => name.replace(/（[^）]*）$/, "").replace(/方案$/, "");
const assessmentNameEn = (name: string) => name.replace(/\s*\([^)]*\)$/, "");

/** A grade worth announcing: one the plan marks a commendation, or its top grade when it marks none. */
function commendable(plan: Plan, grade: string): boolean {
  const grades = plan.grades ?? [];
  if (grades.some((g) => g.commendation !== undefined))
    return grades.some((g) => g.code === grade && g.commendation === true);
  return grades[0]?.code === grade;
}

/**
 * English names of the common titles: the plan format gives a title no English name (grades have
 * nameEn). One not here is written as the plan names it.
 */
const TITLES_EN: Record<string, string> = {
  优胜单位: "Outstanding Unit",
  先进单位: "Advanced Unit",
  先进集体: "Advanced Collective",
  优秀单位: "Excellent Unit",
  进步奖: "Progress Award",
  创新奖: "Innovation Award",
};

/** "优秀" → "优秀单位" as a bulletin says it; a grade already naming what it is kept. */
const asHonour = (name: string) => (/(单位|集体|部门|等次|奖)$/.test(name) ? name : `${name}单位`);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function resultsOf(src: { plan: Plan; result: RunUnitResult }, prefix = ""): AssessmentResult[] {
  const { plan, result } = src;
  const assessment = {
    "zh-CN": assessmentName(plan.name),
    en: assessmentNameEn(plan.nameEn ?? plan.name),
  };
  const out: AssessmentResult[] = [];
  if (result.grade !== null) {
    const g = plan.grades?.find((x) => x.code === result.grade);
    const honour = commendable(plan, result.grade);
    const zh = g?.name ?? result.grade;
    const en = capital(g?.nameEn ?? zh);
    out.push({
      id: `${prefix}grade`,
      assessment,
      grade: honour ? { "zh-CN": asHonour(zh), en: `${en} Unit` } : { "zh-CN": zh, en },
      commendable: honour,
    });
  }
  for (const code of result.titles) {
    const t = plan.titles?.find((x) => x.code === code);
    out.push({
      id: `${prefix}title:${code}`,
      assessment,
      grade: { "zh-CN": t?.name ?? code, en: TITLES_EN[t?.name ?? code] ?? t?.name ?? code },
      commendable: t?.commendation ?? true,
    });
  }
  return out;
}

/** The unit's ranks of earlier years for one indicator: the run's own earlier periods, then the other sources'. */
function pastRanks(rows: readonly DataRow[], year: number): PastRank[] {
  const byYear = new Map<number, number>();
  for (const r of rows) {
    const y = yearOf(r.period);
    if (y === null || y >= year || byYear.has(y) || !Number.isInteger(r.value) || r.value < 1) continue;
    byYear.set(y, r.value);
  }
  return [...byYear.entries()].sort((a, b) => a[0] - b[0]).map(([y, rank]) => ({ year: y, rank }));
}

/**
 * A rank leaf that ranks another leaf's value: its name is the value's name with 全省位次 (or 位次)
 * after it ("全社会R&D经费占GDP比重" and "全社会R&D经费占GDP比重全省位次"). The bulletin then says the
 * value with its rank, "全社会R&D经费占GDP比重2.87%，十年来首次由第五位提升至第四位", as one sentence.
 */
const RANK_OF = /(全省位次|位次)$/;
function rankPairs(leaves: readonly IndicatorSpec[]): Map<string, IndicatorSpec> {
  const byName = new Map(leaves.map((l) => [l.name, l]));
  const pairs = new Map<string, IndicatorSpec>();
  for (const leaf of leaves) {
    if (kindOf(leaf) !== "rank" || !RANK_OF.test(leaf.name)) continue;
    const value = byName.get(leaf.name.replace(RANK_OF, ""));
    if (value && value !== leaf && kindOf(value) !== "rank" && kindOf(value) !== null)
      pairs.set(value.code, leaf);
  }
  return pairs;
}

/** Growth on the period before, in % to one decimal, for a quantity (not a share or a rank). */
function changeOf(value: number, previous: number | undefined): number | undefined {
  if (previous === undefined || !(previous > 0)) return undefined;
  return Math.round(((value - previous) / previous) * 1000) / 10;
}

/**
 * The bulletin input of one unit in a run: its grade and titles (the plan's top grade, or the grades and
 * titles it marks as commendations, announced), one group per top-level node of the plan, and per leaf
 * with a value this period: the value in its unit, the growth on the period before (quantities), and for
 * a rank (data type rank, or an external rank rule) the rank with the earlier years' ranks the run and
 * `earlier` hold, for "由第五位提升至第四位" and "N年来首次". Approved bonus items are a last group.
 */
export function bulletinInputFromRun(src: RunBulletinSource): BulletinInput {
  const { plan, result } = src;
  const year = yearOf(plan.period.key) ?? new Date(src.date).getUTCFullYear();
  const unitSpec = plan.units.find((u) => u.code === result.unit);
  const unit: Bilingual = {
    "zh-CN": unitSpec?.name ?? result.unit,
    en: unitSpec?.nameEn ?? src.unitNameEn ?? unitSpec?.name ?? result.unit,
  };
  const own = src.rows.filter((r) => r.unit === result.unit);
  const earlier = (src.earlier ?? []).filter((r) => r.unit === result.unit);
  const groups: IndicatorGroup[] = [];
  const indicators: IndicatorResult[] = [];
  const current = (code: string) => own.find((r) => r.indicator === code && r.period === plan.period.key);
  const before = (code: string) =>
    [...own, ...earlier].filter((r) => r.indicator === code && r.period !== plan.period.key);
  const isRankValue = (r: DataRow | undefined): r is DataRow =>
    r !== undefined && Number.isInteger(r.value) && r.value >= 1;
  const pairs = rankPairs(plan.indicators.flatMap(leavesOf));
  // A paired rank leaf is said with its value, not on its own (when the unit has the value).
  const said = new Set(
    [...pairs]
      .filter(([value, rank]) => current(value) && isRankValue(current(rank.code)))
      .map(([, r]) => r.code),
  );
  for (const root of plan.indicators) {
    if (root.adjustment) continue;
    groups.push({ id: root.code, title: { "zh-CN": root.name, en: root.nameEn ?? root.name } });
    for (const leaf of leavesOf(root)) {
      const kind = kindOf(leaf);
      const now = current(leaf.code);
      if (!kind || !now || said.has(leaf.code)) continue;
      const same = before(leaf.code);
      const previous = plan.period.previous
        ? same.find((r) => r.period === plan.period.previous)?.value
        : undefined;
      const isRank = kind === "rank" && isRankValue(now);
      if (kind === "rank" && !isRank) continue;
      const paired = pairs.get(leaf.code);
      const pairedRank = paired && said.has(paired.code) ? current(paired.code)!.value : undefined;
      const history = isRank
        ? pastRanks(same, year)
        : pairedRank !== undefined
          ? pastRanks(before(paired!.code), year)
          : [];
      const rank = isRank ? now.value : pairedRank;
      const change = kind === "count" || kind === "amount" ? changeOf(now.value, previous) : undefined;
      indicators.push({
        id: leaf.code,
        group: root.code,
        name: { "zh-CN": leaf.name, en: leaf.nameEn ?? leaf.name },
        kind,
        value: now.value,
        unit: unitOf(leaf),
        ...(change !== undefined ? { change } : {}),
        ...(rank !== undefined ? { rank } : {}),
        ...(history.length > 0 ? { history } : {}),
      });
    }
  }
  const bonus = own.filter(
    (r) => r.level !== undefined && (plan.bonus ?? []).some((b) => b.code === r.indicator),
  );
  if (bonus.length > 0) {
    groups.push({ id: "bonus", title: { "zh-CN": "争先创优", en: "Awards and distinctions" } });
    for (const [k, r] of bonus.entries()) {
      const item = plan.bonus!.find((b) => b.code === r.indicator)!;
      indicators.push({
        id: `${r.indicator}:${k + 1}`,
        group: "bonus",
        name: { "zh-CN": `${item.name}（${r.level}）`, en: `${item.name} (${r.level})` },
        kind: "bonus",
        value: 1,
        unit: { "zh-CN": "", en: "" },
      });
    }
  }
  return {
    unit,
    year,
    date: src.date,
    source: unit,
    results: [...resultsOf(src), ...(src.others ?? []).flatMap((o, k) => resultsOf(o, `other${k + 1}:`))],
    groups,
    indicators,
  };
}
