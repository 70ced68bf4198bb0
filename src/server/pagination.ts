import { and, asc, type Column, count, desc, type InferSelectModel, ilike, or, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Database } from "./db/client.js";

/**
 * The query of every long list: a page, its size, a sort key (`-` for descending; the first key, or
 * `defaultSort`, when none is given), a text filter, and any exact-match filters of the list's own.
 */
export const listQuery = <
  S extends readonly [string, ...string[]],
  F extends z.ZodRawShape = Record<never, never>,
>(
  sortKeys: S,
  options: { filters?: F; defaultSort?: S[number] | `-${S[number]}` } = {},
) =>
  z.object({
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
    sort: z
      .enum([...sortKeys, ...sortKeys.map((k) => `-${k}`)] as [string, ...string[]])
      .default(options.defaultSort ?? sortKeys[0]),
    q: z.string().max(100).optional(),
    ...((options.filters ?? {}) as F),
  });

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });

/** What a page request carries, whatever list it is for. */
export interface PageQuery {
  page: number;
  pageSize: number;
  sort: string;
  q?: string | undefined;
}

/** One page of a list and how many rows match in all. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The columns a list searches (`q`), sorts by (by key) and breaks ties with (unique). */
export interface PageColumns<K extends string> {
  search: Column[];
  sort: Record<K, Column>;
  unique: Column;
}

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
  query: PageQuery,
  columns: PageColumns<K>,
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

/** Where, order, limit and offset of one page, ready for a query's builder. */
export interface PageSlice {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
}

/**
 * Reads one page of a table where every condition holds (undefined ones are ignored: an absent
 * filter) and the text filter matches, with the total count of such rows. `rows` reads the page's
 * rows (a list that must not read every column, e.g. stored files or results, selects its own).
 */
export async function readPageOf<R, K extends string>(
  db: Database,
  table: PgTable,
  query: PageQuery,
  columns: PageColumns<K>,
  conditions: (SQL | undefined)[],
  rows: (slice: PageSlice) => Promise<R[]>,
): Promise<Page<R>> {
  const { where, orderBy, limit, offset } = pageSql(query, columns);
  const filter = and(...conditions, where);
  const [total] = await db.select({ n: count() }).from(table).where(filter);
  const items = await rows({ where: filter, orderBy, limit, offset });
  return { items, total: total?.n ?? 0, page: query.page, pageSize: limit };
}

/** `readPageOf` reading whole rows. */
export function readPage<T extends PgTable, K extends string>(
  db: Database,
  table: T,
  query: PageQuery,
  columns: PageColumns<K>,
  conditions: (SQL | undefined)[],
): Promise<Page<InferSelectModel<T>>> {
  return readPageOf(db, table, query, columns, conditions, async ({ where, orderBy, limit, offset }) => {
    const rows = await db
      .select()
      .from(table as PgTable)
      .where(where)
      .orderBy(...orderBy)
      .limit(limit)
      .offset(offset);
    return rows as InferSelectModel<T>[];
  });
}
