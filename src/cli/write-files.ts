import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/**
 * Writes all files or none: they go to a temporary folder beside `dir` first and are moved in only
 * once every one of them is written, so a failure never leaves half a result behind.
 */
export function writeFilesAtomically(dir: string, files: ReadonlyMap<string, string>): void {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.tmp-`);
  try {
    for (const [name, content] of files) writeFileSync(join(staging, name), content);
    mkdirSync(target, { recursive: true });
    for (const name of files.keys()) renameSync(join(staging, name), join(target, name));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Writes one file atomically (temporary file, then rename). */
export function writeFileAtomically(path: string, content: string | Buffer): void {
  const target = resolve(path);
  mkdirSync(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  try {
    writeFileSync(temp, content);
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
}
