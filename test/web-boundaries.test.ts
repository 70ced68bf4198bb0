import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const webDir = join(import.meta.dirname, "..", "src", "web");
const files = (readdirSync(webDir, { recursive: true }) as string[])
  .filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".test.ts"))
  .map((f) => join(webDir, f));

describe("the web app's boundary with the server", () => {
  it("takes only types from the server, and the import-free policy table", () => {
    const offending: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, "utf8");
      for (const m of source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gms)) {
        const [, typeOnly, path] = m;
        if (!path!.includes("/server/")) continue;
        if (typeOnly || path!.endsWith("/server/policy-table.js")) continue;
        offending.push(`${relative(webDir, file)}: ${path}`);
      }
    }
    expect(offending).toEqual([]);
    expect(files.length).toBeGreaterThan(10);
  });

  it("the policy table it shares with the server imports nothing", () => {
    const table = readFileSync(join(webDir, "..", "server", "policy-table.ts"), "utf8");
    expect(table).not.toMatch(/^import /m);
  });
});
