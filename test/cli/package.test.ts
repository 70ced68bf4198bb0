import { execFileSync, spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// semver ships no types; this test needs one function of it.
const semver = createRequire(import.meta.url)("semver") as {
  satisfies(version: string, range: string): boolean;
};
const root = join(import.meta.dirname, "..", "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const work = mkdtempSync(join(tmpdir(), "kaohe-pack-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What `npm pack` puts in the tarball (the build is already done: CLI tests run the built CLI). */
function packedFiles(): string[] {
  const text = execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    encoding: "utf8",
  });
  return (JSON.parse(text) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
}

describe("the npm package", () => {
  // A project with the packed tarball unpacked as node_modules/kaohe, and the repository's own
  // dependencies beside it (installing them from the registry is not what is under test).
  const project = join(work, "project");
  beforeAll(() => {
    execFileSync(npm, ["pack", "--ignore-scripts", "--pack-destination", work], {
      cwd: root,
      stdio: "ignore",
    });
    const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"))!;
    const modules = join(project, "node_modules");
    const kaohe = join(modules, "kaohe");
    mkdirSync(kaohe, { recursive: true });
    execFileSync("tar", ["-xzf", join(work, tarball), "-C", kaohe, "--strip-components=1"]);
    for (const dep of readdirSync(join(root, "node_modules"))) {
      if (dep.startsWith(".") || dep === "kaohe") continue;
      symlinkSync(join(root, "node_modules", dep), join(modules, dep));
    }
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user", type: "module" }));
  }, 120_000);

  it("holds what the CLI and the engine need at run time, and no sources, tests or source maps", () => {
    const files = packedFiles();
    const migrations = readdirSync(join(root, "drizzle")).filter((f) => f.endsWith(".sql"));
    for (const f of [
      "package.json",
      "README.md",
      "bin/kaohe.js",
      "dist/src/cli/main.js",
      "dist/src/engine/index.js",
      "dist/src/engine/index.d.ts",
      "dist/src/server/server.js",
      "drizzle/meta/_journal.json",
      ...migrations.map((m) => `drizzle/${m}`),
      "examples/city-departments/plan.json",
      "examples/city-departments/values.csv",
    ])
      expect(files).toContain(f);
    expect(files.filter((f) => /\.map$|\.test\.|^src\/|^test\/|^bench\/|^dist\/bench\//.test(f))).toEqual([]);
  });

  it('import("kaohe/engine") resolves from the tarball, with its types', () => {
    const script = `const e = await import("kaohe/engine");
      const run = e.scorePlan(${readFileSync(join(root, "examples", "city-departments", "plan.json"), "utf8")}, []);
      console.log(e.ENGINE_VERSION, typeof e.runPipeline, run.ok);`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: project,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+ function (true|false)$/);
    const pkg = JSON.parse(readFileSync(join(project, "node_modules", "kaohe", "package.json"), "utf8"));
    const types = pkg.exports["./engine"].types as string;
    expect(readdirSync(join(project, "node_modules", "kaohe", types, ".."))).toContain("index.d.ts");
    // TypeScript finds the declarations through the same export.
    writeFileSync(
      join(project, "use.ts"),
      'import { ENGINE_VERSION, type Plan } from "kaohe/engine";\nexport const v: string = ENGINE_VERSION;\nexport type P = Plan;\n',
    );
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { module: "nodenext", strict: true, noEmit: true, skipLibCheck: false, types: [] },
        files: ["use.ts"],
      }),
    );
    const tsc = spawnSync(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", project],
      {
        encoding: "utf8",
      },
    );
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 60_000);

  it("the packed CLI finds its migrations and the demo's example, and runs from node_modules", () => {
    const kaohe = join(project, "node_modules", "kaohe");
    // The migrator's folder, as the packed server computes it, holds every migration its journal lists.
    const script = `const { migrationsFolder } = await import(${JSON.stringify(join(kaohe, "dist", "src", "server", "db", "client.js"))});
      const { readFileSync, existsSync } = await import("node:fs");
      const dir = migrationsFolder();
      const journal = JSON.parse(readFileSync(dir + "/meta/_journal.json", "utf8"));
      console.log(dir, journal.entries.length, journal.entries.every((e) => existsSync(dir + "/" + e.tag + ".sql")));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: project,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    const entries = JSON.parse(readFileSync(join(root, "drizzle", "meta", "_journal.json"), "utf8")).entries
      .length;
    expect(r.stdout.trim()).toBe(`${join(kaohe, "drizzle")} ${entries} true`);
    const bin = join(kaohe, "bin", "kaohe.js");
    const examples = join(kaohe, "examples", "city-departments");
    const score = spawnSync(
      process.execPath,
      [
        bin,
        "score",
        "--plan",
        join(examples, "plan.json"),
        "--data",
        join(examples, "values.csv"),
        "--explain",
        "kjj",
      ],
      { cwd: work, env: { ...process.env, KAOHE_LANG: "en" }, encoding: "utf8" },
    );
    expect(score.status, score.stderr).toBe(0);
    expect(score.stdout).toContain("rank 1 of 5");
  }, 60_000);
});

describe("the Node.js versions the README promises (>= 20.19)", () => {
  it("every locked package admits Node 20.19, so npm ci prints no EBADENGINE", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.engines.node).toBe(">=20.19");
    expect(readFileSync(join(root, "README.md"), "utf8")).toContain("Node.js ≥ 20.19");
    const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const refusing = Object.entries(lock.packages)
      .filter(([, p]) => {
        const node = Array.isArray(p.engines) ? undefined : p.engines?.node;
        return node !== undefined && !semver.satisfies("20.19.0", node);
      })
      .map(([path, p]) => `${path}@${p.version} wants node ${(p.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });
});
