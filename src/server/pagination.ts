import { asc, type Column, desc, ilike, or, type SQL } from "drizzle-orm";
import { z } from "zod";

/** The query of every long list: a page, its size, a sort key (`-` for descending) and a text filter. */
export const listQuery = <S extends readonly [string, ...string[]]>(sortKeys: S) =>
  z.object({
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
    sort: z
      .enum([...sortKeys, ...sortKeys.map((k) => `-${k}`)] as [string, ...string[]])
      .default(sortKeys[0]),
    q: z.string().max(100).optional(),
  });

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });

/** Splits "-name" into the key and the direction. */
function sortOf(sort: string): { key: string; descending: boolean } {
  return sort.startsWith("-") ? { key: sort.slice(1), descending: true } : { key: sort, descending: false };
}

/** Escapes a text filter for ILIKE. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The SQL of one page of a list: rows where any searched column contains `q`, ordered by the chosen
 * sort column and then by a unique one (so pages neither repeat nor skip rows), limited to the page.
 */
export function pageSql<K extends string>(
  query: { page: number; pageSize: number; sort: string; q?: string | undefined },
  columns: { search: Column[]; sort: Record<K, Column>; unique: Column },
): { where: SQL | undefined; orderBy: SQL[]; limit: number; offset: number } {
  const { key, descending } = sortOf(query.sort);
  const column = columns.sort[key as K];
  const pattern = query.q ? likePattern(query.q) : undefined;
  return {
    where: pattern ? or(...columns.search.map((c) => ilike(c, pattern))) : undefined,
    orderBy: [descending ? desc(column) : asc(column), asc(columns.unique)],
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  };
}
