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
export function sortOf(sort: string): { key: string; descending: boolean } {
  return sort.startsWith("-") ? { key: sort.slice(1), descending: true } : { key: sort, descending: false };
}

/** Escapes a text filter for ILIKE. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
