/**
 * A run's frozen inputs packed and read back (issue 12): the one-string way (JSON.stringify, gzipSync,
 * the content hash of the canonical JSON; JSON.parse of the gunzipped text) against the streamed one
 * (runs/inputs.ts packInputs, runInputs), on BENCH_INPUT_ROWS rows (default 3.6 M, SCALE 0.1's) of the
 * scale bench's shape. Checks the two give the same bytes and hash; the least of BENCH_REPEAT runs
 * (default 2) of each. No database.
 * Run: npm run bench:run-inputs
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { contentHash, runContent } from "../src/server/modules/audit/content.js";
import { packInputs, runInputs } from "../src/server/modules/runs/inputs.js";
import type { RunInputs } from "../src/server/modules/runs/service.js";

const N = Number(process.env.BENCH_INPUT_ROWS ?? 3_600_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);
const rows = Array.from({ length: N }, (_, i) => ({
  indicator: `I${String(i % 300).padStart(3, "0")}`,
  period: `2026-${String((i % 12) + 1).padStart(2, "0")}`,
  unit: `c01-u${String(Math.floor(i / 3600)).padStart(4, "0")}`,
  value: Math.round((i * 7919) % 10000) / 100,
}));
const inputs = { plan: { id: "p", units: [] }, rows } as unknown as RunInputs;
const result = { units: [] };
const least: Record<string, number> = {};
async function time<T>(name: string, f: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  const s = (performance.now() - t0) / 1000;
  least[name] = Math.min(least[name] ?? Number.POSITIVE_INFINITY, s);
  return out;
}
for (let k = 0; k < REPEAT; k++) {
  const old = await time("pack, one string", () => ({
    gz: gzipSync(JSON.stringify(inputs)),
    hash: contentHash(runContent({ inputs, result })),
  }));
  const packed = await time("pack, streamed", () => packInputs(inputs, result));
  if (!packed.columns.inputsGz.equals(old.gz) || packed.contentHash !== old.hash)
    throw new Error("run-inputs bench: the streamed inputs differ from the one-string ones");
  await time("read, one string", () => JSON.parse(gunzipSync(old.gz).toString("utf8")));
  await time("read, streamed", () => runInputs({ inputs: null, inputsGz: packed.columns.inputsGz }));
  if (k === 0)
    console.log(
      `${N.toLocaleString("en")} rows, ${(old.gz.length / 1e6).toFixed(1)} MB gzipped, same bytes and hash`,
    );
}
for (const [name, s] of Object.entries(least))
  console.log(`  ${name}: ${s.toFixed(2)} s (least of ${REPEAT})`);
