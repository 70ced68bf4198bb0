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
 * Writes all files or none: they go to a temporary folder beside `dir` first and are moved in only
 * once every one of them is written, so a failure never leaves half a result behind.
 */
export function writeFilesAtomically(dir: string, files: ReadonlyMap<string, FileContent>): void {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.tmp-`);
  try {
    for (const [name, content] of files) {
      if (typeof content === "string") writeFileSync(join(staging, name), content);
      else writeStreamed(join(staging, name), content);
    }
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
