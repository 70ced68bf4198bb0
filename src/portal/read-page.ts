/** The largest page read from a file or the network, in bytes (see MAX_PAGE_CHARS of the scanner). */
export const MAX_PAGE_BYTES = 5 * 1024 * 1024;

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
