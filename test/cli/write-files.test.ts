import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { StagedFiles } from "../../src/cli/write-files.js";

let root = "";
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("StagedFiles", () => {
  it("moves every file in on commit, the staging folder gone", async () => {
    root = mkdtempSync(join(tmpdir(), "kaohe-staged-"));
    const staged = new StagedFiles(join(root, "out"));
    staged.write("a.csv", "a\n");
    staged.write("b.csv", (sink) => sink.write("b\n"));
    staged.writeElsewhere("c.csv", async (path) => {
      await later(20);
      writeFileSync(path, "c\n");
    });
    await staged.commit();
    expect(readdirSync(join(root, "out")).sort()).toEqual(["a.csv", "b.csv", "c.csv"]);
    expect(readdirSync(root)).toEqual(["out"]);
  });

  it("on a failed file, removes the staging folder only once every other writer is done with it", async () => {
    root = mkdtempSync(join(tmpdir(), "kaohe-staged-"));
    const staged = new StagedFiles(join(root, "out"));
    staged.writeElsewhere("bad.csv", async () => {
      throw new Error("disk full");
    });
    // A worker still writing its file when the other fails: its folder must still be there.
    let slowWriter: string | Error = "not finished";
    staged.writeElsewhere("slow.csv", async (path) => {
      await later(50);
      try {
        writeFileSync(path, "slow\n");
        slowWriter = "wrote";
      } catch (e) {
        slowWriter = e as Error;
      }
    });
    await expect(staged.commit()).rejects.toThrow("disk full");
    expect(slowWriter).toBe("wrote");
    expect(existsSync(join(root, "out"))).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });
});
