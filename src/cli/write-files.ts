import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { bilingual, CliError } from "./cli-error.js";

/** A file's content: its text, or a function writing it into a sink as it is produced. */
export type FileContent = string | ((sink: { write(text: string): void }) => void);

/**
 * Writes text to a file through one buffer: a large table is never held whole as one string (on
 * 10,000 × 200 the datasets are 130 MB of text), and each write is a copy into the buffer, not a
 * system call.
 */
export function writeStreamed(path: string, produce: (sink: { write(text: string): void }) => void): void {
  const fd = openSync(path, "w");
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    let used = 0;
    const flush = () => {
      for (let at = 0; at < used; ) at += writeSync(fd, buffer, at, used - at);
      used = 0;
    };
    produce({
      write(text) {
        // At most 3 bytes per UTF-16 unit: a text that might not fit is flushed first, or written alone.
        if (used + text.length * 3 > buffer.length) {
          flush();
          if (text.length * 3 > buffer.length) {
            writeSync(fd, text);
            return;
          }
        }
        used += buffer.write(text, used, "utf8");
      },
    });
    flush();
  } finally {
    closeSync(fd);
  }
}

/**
 * Files written all or none: each goes to a temporary folder beside `dir` first, and they are moved in
 * only by `commit`, once every one is written; `discard` (or a failure) leaves nothing behind. A file can
 * be written elsewhere meanwhile (`writeElsewhere`: a worker thread writing its path), and commit waits
 * for it.
 */
export class StagedFiles {
  readonly #target: string;
  readonly #staging: string;
  readonly #names: string[] = [];
  readonly #pending: Promise<void>[] = [];

  constructor(dir: string) {
    this.#target = resolve(dir);
    mkdirSync(dirname(this.#target), { recursive: true });
    this.#staging = mkdtempSync(`${this.#target}.tmp-`);
  }

  get size(): number {
    return this.#names.length;
  }

  /**
   * A plain file name, never a path: names come from the data (ranks_by_<group column>.csv), and
   * join would carry a/../../x out of the folder.
   */
  #check(name: string): void {
    if (name === basename(name) && !name.includes("\\") && name !== "." && name !== "..") return;
    throw new CliError(
      { file: name },
      bilingual("文件名不能含路径，未写入任何文件", "a file name cannot hold a path; nothing was written"),
    );
  }

  /** A name written again is overwritten (the later content stays), as a map of files would be. */
  write(name: string, content: FileContent): void {
    this.#check(name);
    if (!this.#names.includes(name)) this.#names.push(name);
    const path = join(this.#staging, name);
    if (typeof content === "string") writeFileSync(path, content);
    else writeStreamed(path, content);
  }

  writeElsewhere(name: string, write: (path: string) => Promise<void>): void {
    this.#check(name);
    if (this.#names.includes(name)) throw new Error(`${name} is written twice`);
    this.#names.push(name);
    const done = write(join(this.#staging, name));
    done.catch(() => {}); // awaited by commit; a failure before then is not unhandled
    this.#pending.push(done);
  }

  async commit(): Promise<void> {
    try {
      await Promise.all(this.#pending);
      this.moveIn();
    } finally {
      // One failed file rejects the whole at once; the others may still be writing into the folder.
      await Promise.allSettled(this.#pending);
      this.discard();
    }
  }

  /** commit for files all written on this thread. */
  commitWritten(): void {
    try {
      if (this.#pending.length > 0) throw new Error("files are still being written elsewhere");
      this.moveIn();
    } finally {
      this.discard();
    }
  }

  private moveIn(): void {
    mkdirSync(this.#target, { recursive: true });
    for (const name of this.#names) renameSync(join(this.#staging, name), join(this.#target, name));
  }

  discard(): void {
    rmSync(this.#staging, { recursive: true, force: true });
  }
}

/**
 * Writes all files or none: they go to a temporary folder beside `dir` first and are moved in only
 * once every one of them is written, so a failure never leaves half a result behind.
 */
export function writeFilesAtomically(dir: string, files: ReadonlyMap<string, FileContent>): void {
  const staged = new StagedFiles(dir);
  try {
    for (const [name, content] of files) staged.write(name, content);
    staged.commitWritten();
  } finally {
    staged.discard();
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
