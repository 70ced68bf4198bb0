import { type PageHashes, pageHashes } from "../../../portal/pages/hashes.js";
import type { Database } from "../../db/client.js";
import { firstSealedEntry } from "../audit/service.js";

/** A published page as stored: its article per language, and the hashes its row recorded. */
export type StoredPage = { articles: Record<string, string>; hashes: Record<string, PageHashes> };

export const sameHashes = (a: PageHashes | undefined, b: PageHashes) =>
  a?.sm3 === b.sm3 && a?.sha256 === b.sha256;

/**
 * Whether a stored page is the one published (a notice's or a bulletin's): every language's article
 * hashes to what its row and the sealed audit entry that published it recorded, and the entry names
 * exactly the languages the row has. One changed in the database, row hashes and all, fails here.
 */
export async function matchesSealedEntry(
  db: Database,
  published: { action: string; entity: string; entityId: string },
  row: StoredPage,
): Promise<boolean> {
  const entry = await firstSealedEntry(db, published);
  const recorded = (entry?.after as { pageHashes?: Record<string, PageHashes> } | null | undefined)
    ?.pageHashes;
  const langs = Object.keys(row.articles);
  return (
    recorded !== undefined &&
    langs.length === Object.keys(recorded).length &&
    langs.every((lang) => {
      const actual = pageHashes(row.articles[lang]!);
      return sameHashes(recorded[lang], actual) && sameHashes(row.hashes[lang], actual);
    })
  );
}
