import { main } from "../../src/cli/main.js";

/**
 * The writer child of pglite-crash.ts: `kaohe serve --demo --port 0` on the data directory in
 * KAOHE_DATA_DIR, from the sources (so the script needs no build). The parent writes to it over HTTP
 * and kills it with SIGKILL; nothing here knows that it will be killed.
 */
process.exitCode = await main(["serve", "--demo", "--port", "0"], process.env);
