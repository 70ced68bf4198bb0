import { closeSync, openSync, readSync } from "node:fs";

/** The largest page read from a file or the network, in bytes (see MAX_PAGE_CHARS of the scanner). */
export const MAX_PAGE_BYTES = 5 * 1024 * 1024;

export class PageTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
  }
}

/** Reads at most `limit` bytes of a file; throws PageTooLargeError if there is more. */
export function readPageFile(path: string, limit = MAX_PAGE_BYTES): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(limit + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n <= limit; n += got) got = readSync(fd, buf, n, limit + 1 - n, null);
    if (n > limit) throw new PageTooLargeError(limit);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

const charsetIn = (s: string | null | undefined) => /charset\s*=\s*["']?([\w-]+)/i.exec(s ?? "")?.[1];

/**
 * Decodes a page the way a browser would pick its encoding: a byte-order mark, then the charset of
 * the Content-Type header, then a <meta> charset in the first 1024 bytes, else UTF-8. Older
 * government sites still publish in GBK or GB2312, which Node's ICU decodes.
 */
export function decodePage(bytes: Uint8Array, contentType?: string | null): string {
  let label = "utf-8";
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) label = "utf-8";
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = "utf-16be";
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) label = "utf-16le";
  else
    label =
      charsetIn(contentType) ?? charsetIn(new TextDecoder("latin1").decode(bytes.subarray(0, 1024))) ?? label;
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}
