import { engineError, fail, type Lang, ok, type Result } from "../errors.js";
import { withheldByUnit, withheldCause } from "./commendation.js";
import { pts } from "./explain.js";
import type { Plan } from "./schema.js";
import type { PlanStructure } from "./structure.js";

/** A grade forced by the office, recorded with its reason (never silently typed in). */
export interface GradeOverride {
  unit: string;
  grade: string;
  reason: string;
}

export interface GradingInput {
  structure: PlanStructure;
  totals: Float64Array;
  /** Score column of a node, for tie-breakers. */
  nodeScore: (code: string) => Float64Array;
  vetoes: readonly (readonly string[])[];
  failedMust: Uint8Array;
  /** The codes of the failed must-indicators per unit, named in the reasons. */
  failedMustCodes?: readonly (readonly string[])[];
  overrides?: readonly GradeOverride[];
  /** Skip the reasons (Monte Carlo replications grade thousands of times and read only the grades). */
  quiet?: boolean;
}

export interface QuotaLimit {
  category: string;
  grade: string;
  /** Number of units the grade may hold in the category (Infinity = no quota). */
  limit: number;
  rule: Record<Lang, string>;
}

export interface GradingResult {
  /** Rank within the unit's category (NaN for 单列 units). */
  rank: Float64Array;
  /** Size of the unit's category. */
  rankOf: Float64Array;
  /**
   * Rank among the units its office collects, for offices that rank (`ranks: true`), by the same
   * order and tie rules as a category; NaN elsewhere (and for 单列 units). It decides no grade.
   */
  officeRank: Float64Array;
  officeRankOf: Float64Array;
  gradeByRules: (string | null)[];
  grade: (string | null)[];
  override: (GradeOverride | null)[];
  titles: string[][];
  /**
   * Why each unit got its grade (written when first read: a what-if re-grades at every change and
   * shows one unit's reasons at most). Empty lists where the grading was `quiet`.
   */
  readonly reasons: Record<Lang, string>[][];
  /** Why one unit got its grade: the same lines as `reasons[u]`, written for that unit alone. */
  reasonsOf(u: number): Record<Lang, string>[];
  quotas: QuotaLimit[];
}

/** What bars a unit from a grade its total reaches. */
interface Barred {
  vetoes: string[];
  must: boolean;
  /** The grade is a commendation (评优评先) and the plan withholds the unit's (noCommendation). */
  withheld: boolean | undefined;
}

/** A grade's quota in a category of `size` ranked units, with its arithmetic ("7 × 30% = 2.1，向下取整为 2 个"). */
export function quotaLimit(plan: Plan, gradeIndex: number, category: string, size: number): QuotaLimit {
  const g = plan.grades![gradeIndex]!;
  const q = g.quotaByCategory?.[category] ?? g.quota;
  if (!q || (q.count === undefined && q.share === undefined)) {
    return {
      category,
      grade: g.code,
      limit: Number.POSITIVE_INFINITY,
      rule: { "zh-CN": "不限名额", en: "no quota" },
    };
  }
  if (q.count !== undefined) {
    return {
      category,
      grade: g.code,
      limit: q.count,
      rule: { "zh-CN": `限 ${q.count} 个`, en: `at most ${q.count}` },
    };
  }
  const rounding = q.rounding ?? "floor";
  const exact = size * (q.share as number);
  // A tiny tolerance keeps 10 x 0.3 = 2.9999999999999996 from flooring to 2.
  const limit =
    rounding === "floor"
      ? Math.floor(exact + 1e-9)
      : rounding === "ceil"
        ? Math.ceil(exact - 1e-9)
        : Math.round(exact);
  const word = {
    floor: ["向下取整", "rounded down"],
    ceil: ["向上取整", "rounded up"],
    round: ["四舍五入", "rounded"],
  }[rounding];
  return {
    category,
    grade: g.code,
    limit,
    rule: {
      "zh-CN": `${size} × ${pts((q.share as number) * 100)}% = ${pts(exact)}，${word[0]}为 ${limit} 个`,
      en: `${size} x ${pts((q.share as number) * 100)}% = ${pts(exact)}, ${word[1]} to ${limit}`,
    },
  };
}

/** Orders units by total (and tie-breakers) and gives min ranks to exact ties. */
function rankMembers(members: number[], input: GradingInput): { order: number[]; rank: Float64Array } {
  const { totals, structure } = input;
  const breakers =
    structure.plan.ranking?.ties === "breakers"
      ? (structure.plan.ranking.breakers ?? []).map(input.nodeScore)
      : [];
  // Higher first by total, then by each tie-breaker's score (no key arrays: a sort makes n log n of them).
  const compare = (a: number, b: number) => {
    const ta = totals[a] as number;
    const tb = totals[b] as number;
    if (ta !== tb) return tb - ta;
    for (const column of breakers) {
      const x = column[a] as number;
      const y = column[b] as number;
      if (x !== y) return y - x;
    }
    return 0;
  };
  // Higher total first, then the lower unit index: by total alone where no tie-breaker applies and no
  // total is NaN (then that is a strict order, which any sort puts the units in), else by `compare`.
  const plain = breakers.length === 0 && members.every((u) => !Number.isNaN(totals[u]));
  const order = plain ? byTotal(members, totals) : [...members].sort((a, b) => compare(a, b) || a - b);
  // Per unit (members only): its rank.
  const rank = new Float64Array(totals.length);
  if (plain) {
    for (let k = 0; k < order.length; k++) {
      const u = order[k]!;
      const prev = order[k - 1];
      rank[u] = prev !== undefined && totals[prev] === totals[u] ? (rank[prev] as number) : k + 1;
    }
    return { order, rank };
  }
  order.forEach((u, k) => {
    const prev = order[k - 1];
    rank[u] = prev !== undefined && compare(prev, u) === 0 ? (rank[prev] as number) : k + 1;
  });
  return { order, rank };
}

/**
 * Units in order of total, higher first, then of index (no total NaN): a merge sort on the indices,
 * comparing inline (a sort's comparator called n log n times was most of a re-grading's time).
 */
function byTotal(members: readonly number[], totals: Float64Array): number[] {
  const m = members.length;
  let from = members.slice();
  let to = new Array<number>(m).fill(0);
  // Runs of 16 by insertion, then merged in pairs.
  const RUN = 16;
  for (let lo = 0; lo < m; lo += RUN) {
    const hi = Math.min(m, lo + RUN);
    for (let i = lo + 1; i < hi; i++) {
      const x = from[i] as number;
      const tx = totals[x] as number;
      let j = i - 1;
      for (; j >= lo; j--) {
        const y = from[j] as number;
        const ty = totals[y] as number;
        if (ty > tx || (ty === tx && y < x)) break;
        from[j + 1] = y;
      }
      from[j + 1] = x;
    }
  }
  for (let width = RUN; width < m; width *= 2) {
    for (let lo = 0; lo < m; lo += 2 * width) {
      const mid = Math.min(m, lo + width);
      const hi = Math.min(m, lo + 2 * width);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const x = from[i] as number;
        const y = from[j] as number;
        const tx = totals[x] as number;
        const ty = totals[y] as number;
        if (tx > ty || (tx === ty && x < y)) {
          to[k++] = x;
          i++;
        } else {
          to[k++] = y;
          j++;
        }
      }
      while (i < mid) to[k++] = from[i++] as number;
      while (j < hi) to[k++] = from[j++] as number;
    }
    const merged = to;
    to = from;
    from = merged;
  }
  return from;
}

/** 汇总部门 that rank (`ranks: true`): each ranks the ranked units it collects, apart from their categories. */
function rankWithinOffices(input: GradingInput, result: GradingResult): void {
  const { plan, officeOf, categoryOf, units } = input.structure;
  for (const [o, office] of (plan.offices ?? []).entries()) {
    if (!office.ranks) continue;
    const members: number[] = [];
    for (let u = 0; u < units.length; u++) if (officeOf[u] === o && categoryOf[u] !== -1) members.push(u);
    const { rank } = rankMembers(members, input);
    for (const u of members) {
      result.officeRank[u] = rank[u] as number;
      result.officeRankOf[u] = members.length;
    }
  }
}

/** What a unit met at a grade, walking the grades in order (what its reasons are written from). */
const AT_GRADE = { none: 0, barred: 1, noRoom: 2, graded: 3 } as const;

/**
 * Ranks every unit within its category and grades it: the best grade whose minimum score it reaches,
 * that it is eligible for (no veto, no failed must-indicator where required) and whose quota in the
 * category still has room. Tied units are never split by a quota: if they do not all fit, none get
 * that grade and it closes, so quotas are never exceeded and grades stay monotone in the score.
 * The reasons are not written here: what each unit met at each grade is kept (a few numbers per unit),
 * and its lines are written from it when read, the same lines in the same order.
 */
export function gradeUnits(input: GradingInput): Result<GradingResult> {
  const { structure, totals, vetoes, failedMust } = input;
  const { plan, units, categoryOf } = structure;
  const n = units.length;
  const grades = plan.grades ?? [];
  const G = grades.length;
  const gradeIndex = new Map(grades.map((g, k) => [g.code, k] as const));
  const vetoOf = new Map((plan.vetoes ?? []).map((v) => [v.code, v] as const));
  // 取消评优评先资格: units the plan withholds this period's commendations from (noCommendation).
  const withheld = withheldByUnit(plan, structure.unitIndex);
  // Per unit and grade (u * G + k): what the unit met there; where there was no room, how many it
  // was tied with and the places left.
  const met = new Uint8Array(input.quiet ? 0 : n * G);
  const tiedWith = new Int32Array(input.quiet ? 0 : n * G);
  const placesLeft = new Float64Array(input.quiet ? 0 : n * G);
  // Per category: its grades' quotas.
  const limitsOf: QuotaLimit[][] = [];
  let reasons: Record<Lang, string>[][] | undefined;
  const gradeByRules: (string | null)[] = new Array(n).fill(null);
  const result: GradingResult = {
    rank: new Float64Array(n).fill(Number.NaN),
    rankOf: new Float64Array(n).fill(Number.NaN),
    officeRank: new Float64Array(n).fill(Number.NaN),
    officeRankOf: new Float64Array(n).fill(Number.NaN),
    gradeByRules,
    grade: new Array(n).fill(null),
    override: new Array(n).fill(null),
    titles: Array.from({ length: n }, () => []),
    get reasons() {
      reasons ??= Array.from({ length: n }, (_, u) => reasonsOf(u));
      return reasons;
    },
    reasonsOf: (u) => (reasons ? reasons[u]! : reasonsOf(u)),
    quotas: [],
  };
  // A way to read the reasons, not a part of the result: left out where results are compared.
  Object.defineProperty(result, "reasonsOf", { enumerable: false });

  const forced = (u: number): number | null => {
    let worst: number | null = null;
    for (const v of vetoes[u] ?? []) {
      const g = vetoOf.get(v)?.grade;
      if (g !== undefined) worst = Math.max(worst ?? -1, gradeIndex.get(g) as number);
    }
    return worst;
  };
  /**
   * Why a unit that reaches a grade's minimum score may still not have it: the vetoes and
   * must-indicators that bar it, and a withheld commendation where the grade is one.
   */
  const barred = (u: number, k: number): Barred => {
    const g = grades[k]!;
    const own = vetoes[u] ?? [];
    const barring = g.requires?.includes("noVeto")
      ? [...own]
      : own.filter((v) => vetoOf.get(v)?.ineligible?.includes(g.code));
    return {
      vetoes: barring,
      must: !!(g.requires?.includes("noFailedMust") && failedMust[u]),
      withheld: g.commendation && withheld[u]!.length > 0,
    };
  };
  const eligible = (u: number, k: number): boolean => {
    const g = grades[k]!;
    if (g.minScore !== undefined && (totals[u] as number) < g.minScore) return false;
    // Most units have nothing that could bar them: no veto, no failed must-indicator, nothing withheld.
    const own = vetoes[u];
    if (
      (own === undefined || own.length === 0) &&
      !(failedMust[u] && g.requires?.includes("noFailedMust")) &&
      !(g.commendation && withheld[u]!.length > 0)
    )
      return true;
    const b = barred(u, k);
    if (b.vetoes.length > 0 || b.must || b.withheld) {
      if (!input.quiet) met[u * G + k] = AT_GRADE.barred;
      return false;
    }
    return true;
  };

  const membersOf = structure.categories.map(() => [] as number[]);
  for (let u = 0; u < n; u++) if ((categoryOf[u] as number) >= 0) membersOf[categoryOf[u] as number]!.push(u);
  for (const [c, category] of structure.categories.entries()) {
    const members = membersOf[c]!;
    const { order, rank } = rankMembers(members, input);
    // Index loops: this runs once per grading, often before it is optimised (for-of allocates then).
    for (let j = 0; j < members.length; j++) {
      const u = members[j]!;
      result.rank[u] = rank[u] as number;
      result.rankOf[u] = members.length;
    }
    if (G === 0) continue;
    const limits = grades.map((_, k) => quotaLimit(plan, k, category, members.length));
    limitsOf[c] = limits;
    result.quotas.push(...limits.filter((l) => Number.isFinite(l.limit)));
    const remaining = limits.map((l) => l.limit);
    // Walk tie groups in rank order.
    for (let start = 0; start < order.length; ) {
      let end = start;
      while (end + 1 < order.length && rank[order[end + 1]!] === rank[order[start]!]) end++;
      if (end === start) {
        // A unit tied with none (most of them): the walk below for a group of one, without its lists.
        const u = order[start]!;
        start++;
        const f = forced(u);
        if (f !== null) {
          gradeByRules[u] = grades[f]!.code;
          continue;
        }
        for (let k = 0; k < G; k++) {
          const g = grades[k]!;
          const catchAll = k === G - 1 && g.minScore === undefined;
          if (!catchAll && !eligible(u, k)) continue;
          if ((remaining[k] as number) < 1) {
            if (!input.quiet) {
              met[u * G + k] = AT_GRADE.noRoom;
              tiedWith[u * G + k] = 0;
              placesLeft[u * G + k] = remaining[k] as number;
            }
            remaining[k] = 0;
            continue;
          }
          remaining[k] = (remaining[k] as number) - 1;
          gradeByRules[u] = g.code;
          if (!input.quiet) met[u * G + k] = AT_GRADE.graded;
          break;
        }
        continue;
      }
      let pending = order.slice(start, end + 1);
      for (const u of pending) {
        const f = forced(u);
        if (f !== null) gradeByRules[u] = grades[f]!.code;
      }
      pending = pending.filter((u) => gradeByRules[u] === null);
      for (let k = 0; k < G && pending.length > 0; k++) {
        const g = grades[k]!;
        // The last grade takes everyone left, unless it sets a minimum (then those below get no grade).
        const catchAll = k === G - 1 && g.minScore === undefined;
        const wanting = catchAll ? pending : pending.filter((u) => eligible(u, k));
        if (wanting.length === 0) continue;
        if ((remaining[k] as number) < wanting.length) {
          if (!input.quiet)
            for (const u of wanting) {
              met[u * G + k] = AT_GRADE.noRoom;
              tiedWith[u * G + k] = wanting.length - 1;
              placesLeft[u * G + k] = remaining[k] as number;
            }
          remaining[k] = 0; // closed: nobody ranked lower may take it
          continue;
        }
        remaining[k] = (remaining[k] as number) - wanting.length;
        for (const u of wanting) {
          gradeByRules[u] = g.code;
          if (!input.quiet) met[u * G + k] = AT_GRADE.graded;
        }
        pending = pending.filter((u) => gradeByRules[u] === null);
      }
      start = end + 1;
    }
  }
  if (!input.quiet) rankWithinOffices(input, result);
  for (let u = 0; u < n; u++) result.grade[u] = gradeByRules[u] ?? null;

  for (const o of input.overrides ?? []) {
    const u = structure.unitIndex.get(o.unit);
    if (u === undefined)
      return fail(
        engineError(
          "UNKNOWN_UNIT",
          `调整等次的单位 ${o.unit} 不存在`,
          `override names unknown unit ${o.unit}`,
          { unit: o.unit },
        ),
      );
    if (!gradeIndex.has(o.grade))
      return fail(
        engineError(
          "UNKNOWN_GRADE",
          `调整等次 ${o.grade} 不存在`,
          `override names unknown grade ${o.grade}`,
          { unit: o.unit },
        ),
      );
    if (o.reason.trim() === "")
      return fail(
        engineError(
          "OVERRIDE_NEEDS_REASON",
          `调整单位 ${o.unit} 的等次必须写明理由`,
          `overriding the grade of ${o.unit} needs a reason`,
          { unit: o.unit },
        ),
      );
    result.override[u] = o;
    result.grade[u] = o.grade;
  }

  /** Whether a unit gets a title: not in reach (null), barred by vetoes (their names), withheld, or given. */
  const titleFor = (
    u: number,
    title: NonNullable<Plan["titles"]>[number],
  ): null | { barring: string[] } | "withheld" | "given" => {
    if (categoryOf[u] === -1 || (result.rank[u] as number) > title.top) return null;
    if (title.requiresGrade !== undefined && result.grade[u] !== title.requiresGrade) return null;
    const barring = (vetoes[u] ?? []).filter((v) => vetoOf.get(v)?.ineligible?.includes(title.code));
    if (barring.length > 0) return { barring: barring.map((v) => vetoOf.get(v)?.name ?? v) };
    if (title.commendation && withheld[u]!.length > 0) return "withheld";
    return "given";
  };
  for (const title of plan.titles ?? [])
    for (let u = 0; u < n; u++) if (titleFor(u, title) === "given") result.titles[u]!.push(title.code);

  /** One unit's reasons, in the order its grading met them. */
  function reasonsOf(u: number): Record<Lang, string>[] {
    const out: Record<Lang, string>[] = [];
    if (input.quiet) return out;
    const say = (zh: string, en: string) => out.push({ "zh-CN": zh, en });
    const c = categoryOf[u] as number;
    if (c >= 0 && G > 0) {
      const limits = limitsOf[c]!;
      const f = forced(u);
      if (f !== null) {
        const v = (vetoes[u] ?? []).map((code) => vetoOf.get(code)?.name ?? code).join("、");
        say(`一票否决（${v}），定为 ${grades[f]!.code}`, `veto (${v}) forces ${grades[f]!.code}`);
      }
      // One line per cause, naming every grade it bars: "一票否决（…）：不得评为 优秀、良好".
      const barredLines = new Map<string, { grades: string[]; line: Record<Lang, string> }>();
      for (let k = 0; k < G; k++) {
        const g = grades[k]!;
        const at = met[u * G + k];
        if (at === AT_GRADE.barred) {
          const b = barred(u, k);
          const causes: [string, string, string][] = [];
          if (b.vetoes.length > 0) {
            const zh = b.vetoes.map((code) => vetoOf.get(code)?.name ?? code).join("、");
            const en = b.vetoes.map((code) => vetoOf.get(code)?.name ?? code).join(", ");
            causes.push([`veto:${b.vetoes.join(",")}`, `一票否决（${zh}）`, `veto (${en})`]);
          }
          if (b.must) {
            const codes = input.failedMustCodes?.[u] ?? [];
            causes.push([
              "must",
              `必达指标${codes.length ? ` ${codes.join("、")} ` : ""}未完成`,
              `must-indicator${codes.length === 1 ? "" : "s"}${codes.length ? ` ${codes.join(", ")}` : ""} not fully achieved`,
            ]);
          }
          if (b.withheld) {
            const cause = withheldCause(withheld[u]!);
            causes.push(["withheld", cause["zh-CN"], cause.en]);
          }
          for (const [key, zh, en] of causes) {
            let entry = barredLines.get(key);
            if (!entry) {
              entry = { grades: [], line: { "zh-CN": "", en: "" } };
              barredLines.set(key, entry);
              out.push(entry.line);
            }
            entry.grades.push(g.code);
            entry.line["zh-CN"] = `${zh}：不得评为 ${entry.grades.join("、")}`;
            entry.line.en = `${en}: not eligible for ${entry.grades.join(", ")}`;
          }
        } else if (at === AT_GRADE.noRoom) {
          const others = tiedWith[u * G + k] as number;
          const left = placesLeft[u * G + k] as number;
          const full = left === 0;
          say(
            full
              ? `${g.code} 名额已满（${limits[k]!.rule["zh-CN"]}）`
              : `与其他 ${others} 个单位并列，${g.code} 剩余名额 ${left} 个不足，均不评为 ${g.code}（${limits[k]!.rule["zh-CN"]}）`,
            full
              ? `${g.code} quota full (${limits[k]!.rule.en})`
              : `tied with ${others} other(s); ${left} ${g.code} place(s) left, so none of them gets it (${limits[k]!.rule.en})`,
          );
        } else if (at === AT_GRADE.graded) {
          const why = g.minScore !== undefined ? `总分 ${pts(totals[u] as number)} ≥ ${pts(g.minScore)}` : "";
          const whyEn =
            g.minScore !== undefined ? `total ${pts(totals[u] as number)} >= ${pts(g.minScore)}` : "";
          const quota = Number.isFinite(limits[k]!.limit) ? `，名额 ${limits[k]!.rule["zh-CN"]}` : "";
          const quotaEn = Number.isFinite(limits[k]!.limit) ? `; quota ${limits[k]!.rule.en}` : "";
          say(
            `评为 ${g.code}${why ? `（${why}${quota}）` : quota ? `（${quota.slice(1)}）` : ""}`,
            `graded ${g.code}${whyEn || quotaEn ? ` (${[whyEn, quotaEn.slice(2)].filter(Boolean).join("; ")})` : ""}`,
          );
        }
      }
      const lowest = grades.at(-1)!;
      if (
        gradeByRules[u] === null &&
        lowest.minScore !== undefined &&
        (totals[u] as number) < lowest.minScore
      )
        say(
          `总分 ${pts(totals[u] as number)} 低于最低等次 ${lowest.code} 的 ${pts(lowest.minScore!)} 分，不定等次`,
          `total ${pts(totals[u] as number)} is below the lowest grade ${lowest.code}'s ${pts(lowest.minScore!)}: no grade`,
        );
    }
    if (c === -1) say("单列，不参加排名和评定等次", "standalone (单列): not ranked or graded");
    for (const o of input.overrides ?? [])
      if (structure.unitIndex.get(o.unit) === u)
        say(
          `经决定调整为 ${o.grade}（按规则为 ${gradeByRules[u] ?? "无"}）：${o.reason}`,
          `overridden to ${o.grade} (by the rules: ${gradeByRules[u] ?? "none"}): ${o.reason}`,
        );
    for (const title of plan.titles ?? []) {
      const got = titleFor(u, title);
      if (got === null) continue;
      if (got === "withheld") {
        const cause = withheldCause(withheld[u]!);
        say(
          `${cause["zh-CN"]}：不得授予 ${title.name ?? title.code}`,
          `${cause.en}: not eligible for the title ${title.name ?? title.code}`,
        );
      } else if (got === "given")
        say(
          `类别前 ${title.top} 名，授予 ${title.name ?? title.code}`,
          `top ${title.top} of the category: ${title.name ?? title.code}`,
        );
      else
        say(
          `一票否决（${got.barring.join("、")}）：不得授予 ${title.name ?? title.code}`,
          `veto (${got.barring.join(", ")}): not eligible for the title ${title.name ?? title.code}`,
        );
    }
    return out;
  }
  return ok(result);
}
