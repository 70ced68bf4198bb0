import { expect, it } from "vitest";
import { crashRuns } from "./pglite-crash.js";

/**
 * The short version of `npm run reliability:pglite`: `kaohe serve` on PGlite killed with SIGKILL twice
 * at random moments while the office creates plans; after each kill `kaohe audit verify` passes and no
 * acknowledged plan is lost (CRASH_KILLS sets the count).
 */
// The embedded database's own test: the suite's PostgreSQL pass (TEST_DATABASE_URL) leaves it out.
it.skipIf(Boolean(process.env.TEST_DATABASE_URL))(
  "keeps every acknowledged write and a verifiable audit trail through kill -9",
  async () => {
    const kills = Number(process.env.CRASH_KILLS ?? 2);
    const figures = await crashRuns(kills, console.log);
    console.log(`pglite-crash: ${JSON.stringify({ ...figures, failures: figures.failures.length })}`);
    expect(figures.failures).toEqual([]);
    expect(figures.kills).toBe(kills);
    expect(figures.lost).toBe(0);
    expect(figures.auditFailures).toBe(0);
  },
  240_000,
);
