import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Command } from "../../src/cli/command.js";
import { commands } from "../../src/cli/commands/index.js";
import { runCli } from "../helpers/run-cli.js";

const bin = join(import.meta.dirname, "..", "..", "bin", "kaohe.js");
const cwd = mkdtempSync(join(tmpdir(), "kaohe-help-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Runs the built CLI in an empty folder with the default data directory (./data) and no DATABASE_URL. */
function kaohe(args: string[], lang = "zh-CN") {
  const { KAOHE_DATA_DIR: _dir, ...inherited } = process.env;
  const env = { ...inherited, KAOHE_LANG: lang, DATABASE_URL: "" };
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    // A command that ran instead of printing its help (serve) would not end: stop it and fail.
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** Every command and subcommand path of the CLI, read from the one registry the CLI itself uses. */
function paths(c: Command, path: string[] = []): string[][] {
  if (!("subcommands" in c)) return [path];
  return [path, ...Object.entries(c.subcommands).flatMap(([name, s]) => paths(s, [...path, name]))];
}
const all = paths(commands).filter((p) => p.length > 0);

describe("--help for every command and subcommand", () => {
  it("covers the commands the issue names", () => {
    const names = all.map((p) => p.join(" "));
    for (const n of [
      "serve",
      "db migrate",
      "audit verify",
      "backup",
      "restore",
      "plan validate",
      "plan schema",
    ])
      expect(names).toContain(n);
  });

  it.each(all.map((p) => [p.join(" "), p]))(
    "kaohe %s --help / -h / help: exit 0, usage in both languages, nothing else done",
    async (_name, path) => {
      const name = `kaohe ${(path as string[]).join(" ")}`;
      const [zh, en, short, enFirst, word] = await Promise.all([
        kaohe([...(path as string[]), "--help"]),
        kaohe([...(path as string[]), "--help"], "en"),
        kaohe([...(path as string[]), "-h"]),
        kaohe(["--lang", "en", ...(path as string[]), "--help"], ""),
        kaohe(["help", ...(path as string[])]),
      ]);
      for (const r of [zh, en, short, enFirst, word]) {
        expect(r.code, r.err).toBe(0);
        expect(r.err).toBe("");
      }
      expect(zh.out.startsWith(`${name} — `)).toBe(true);
      expect(zh.out).toMatch(new RegExp(`用法：\\s*${name}`));
      expect(en.out).toMatch(new RegExp(`usage:\\s*${name}`));
      expect(enFirst.out).toBe(en.out);
      expect(short.out).toBe(zh.out);
      expect(word.out).toBe(zh.out);
      // No side effect: no data directory, no file named --help, nothing at all in the folder.
      expect(readdirSync(cwd)).toEqual([]);
    },
    30_000,
  );

  it("the top level: both languages, --lang before --help, and it shows how to try the demo", async () => {
    const [zh, en, bare] = await Promise.all([
      kaohe(["--help"]),
      kaohe(["--lang", "en", "--help"], ""),
      kaohe([]),
    ]);
    expect(zh.code).toBe(0);
    expect(zh.out).toContain("用法：kaohe <命令>");
    expect(zh.out).toContain("kaohe serve --demo");
    expect(en.code).toBe(0);
    expect(en.out).toContain("usage: kaohe <command>");
    expect(en.out).toContain("kaohe serve --demo");
    for (const p of all) expect(en.out).toContain(`kaohe ${p.join(" ")}`);
    expect(bare.out).toBe(zh.out);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("--help wins over what the command would otherwise do with its arguments", async () => {
    // These read a file called --help, printed the schema, or ran the command before.
    const validate = await runCli(["plan", "validate", "--help"]);
    expect(validate).toMatchObject({ code: 0, err: "" });
    expect(validate.out).toContain("usage: kaohe plan validate plan.json");
    const schema = await runCli(["plan", "schema", "--help"]);
    expect(schema.out.startsWith("kaohe plan schema — ")).toBe(true);
    expect((await runCli(["backup", "--help"])).code).toBe(0);
    expect((await runCli(["restore", "x.gz", "--help"])).code).toBe(0);
    expect((await runCli(["score", "--bogus", "--help"])).code).toBe(0);
  });

  it("--lang is taken from anywhere before --, in either form", async () => {
    const plan = join(import.meta.dirname, "..", "..", "examples", "city-departments", "plan.json");
    const en = await runCli(["--lang", "en", "plan", "validate", plan], "");
    expect(en).toMatchObject({ code: 0, err: "" });
    expect(en.out).toMatch(/^plan city-departments-2022 .* is valid/);
    const zh = await runCli(["plan", "validate", plan, "--lang=zh-CN"], "en");
    expect(zh.out).toMatch(/^方案 city-departments-2022/);
  });

  it("usage errors name the command's help and exit 2", async () => {
    expect(await runCli(["backup"], "zh-CN")).toMatchObject({
      code: 2,
      err: "缺少参数 文件。运行 kaohe backup --help 查看用法。",
    });
    expect(await runCli(["backup", "a.gz", "b.gz"])).toMatchObject({
      code: 2,
      err: 'unexpected argument "b.gz"; see kaohe backup --help',
    });
    expect(await runCli(["db", "nope"])).toMatchObject({
      code: 2,
      err: 'unknown command "nope"; see kaohe db --help',
    });
    expect(await runCli(["nope"], "zh-CN")).toMatchObject({
      code: 2,
      err: "未知命令“nope”。运行 kaohe --help 查看可用命令。",
    });
    const bogus = await runCli(["score", "--bogus"]);
    expect(bogus.code).toBe(2);
    expect(bogus.err).toMatch(/^bad arguments: .*--bogus.*\(see kaohe score --help\)$/s);
  });
});
