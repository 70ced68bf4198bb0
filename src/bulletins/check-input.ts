import type { BulletinInput } from "./types.js";

/** Where in the input tables an error is (facts-table.ts): the table, its row (the header is row 1), a column. */
export interface TablePlace {
  table: "facts" | "history";
  row: number;
  column?: string;
}

/**
 * Input a bulletin cannot be drafted from, in both languages. From tables, `place` names the table,
 * row and column and `messages` say what is wrong there (the CLI adds the file); from a
 * BulletinInput, the messages name the indicator and field. `message` has both.
 */
export class BulletinInputError extends Error {
  constructor(
    readonly messages: { "zh-CN": string; en: string },
    readonly place?: TablePlace,
  ) {
    super(
      place
        ? `${place.table} row ${place.row}${place.column ? `, column ${place.column}` : ""}: ${messages.en}`
        : messages.en,
    );
  }
}

const fail = (zh: string, en: string): never => {
  throw new BulletinInputError({ "zh-CN": zh, en });
};

const isRank = (n: unknown) => Number.isInteger(n) && (n as number) >= 1;

/** Checks what the sentences rely on: known groups, unique ids, ranks as positive whole numbers, one rank a year. */
export function checkInput(input: BulletinInput): void {
  if (!Number.isInteger(input.year))
    fail(`考核年度 ${input.year} 不是整数`, `the year ${input.year} is not a whole number`);
  const groups = new Set(input.groups.map((g) => g.id));
  const ids = new Set<string>();
  for (const ind of input.indicators) {
    const at = { zh: `指标 ${ind.id}（${ind.name["zh-CN"]}）`, en: `indicator ${ind.id} (${ind.name.en})` };
    if (ids.has(ind.id)) fail(`${at.zh}重复`, `${at.en} is given twice`);
    ids.add(ind.id);
    if (!groups.has(ind.group)) fail(`${at.zh}的分组 ${ind.group} 不存在`, `${at.en}: no group ${ind.group}`);
    if (!Number.isFinite(ind.value))
      fail(`${at.zh}的数值不是有限数`, `${at.en}: the value is not a finite number`);
    if (ind.rank !== undefined && !isRank(ind.rank))
      fail(
        `${at.zh}的名次 ${ind.rank} 不是正整数`,
        `${at.en}: the rank ${ind.rank} is not a positive whole number`,
      );
    const years = new Set<number>();
    for (const h of ind.history ?? []) {
      if (!isRank(h.rank) || !Number.isInteger(h.year))
        fail(
          `${at.zh} ${h.year} 年的名次 ${h.rank} 不是正整数`,
          `${at.en}: the rank ${h.rank} of ${h.year} is not a positive whole number`,
        );
      if (years.has(h.year)) fail(`${at.zh} ${h.year} 年的名次给了两次`, `${at.en}: two ranks for ${h.year}`);
      if (h.year >= input.year)
        fail(
          `${at.zh}的历史名次 ${h.year} 年不早于考核年度 ${input.year}`,
          `${at.en}: history year ${h.year} is not before ${input.year}`,
        );
      years.add(h.year);
    }
  }
}
