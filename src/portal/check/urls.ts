/*
 * How a URL on a page is judged. Browsers drop ASCII whitespace and control characters inside a URL's
 * scheme ("java\nscript:" runs), so they are removed before the scheme is read.
 */

export type UrlVerdict =
  | { kind: "local" }
  | { kind: "script" }
  | { kind: "data" }
  | { kind: "other-host"; host: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const NETWORK = new Set(["http", "https", "ftp", "ws", "wss"]);

/**
 * Judges a URL found in an attribute: relative URLs, fragments, mailto: and tel: are local; an
 * absolute or protocol-relative URL is local only when its host is one of `ownHosts` (lower case,
 * with the port when not the default).
 */
export function judgeUrl(raw: string, ownHosts: ReadonlySet<string>): UrlVerdict {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters browsers ignore in a URL
  const url = raw.replace(/[\u0000-\u0020\u007f]/g, "");
  if (url.startsWith("//") || url.startsWith("\\\\") || url.startsWith("/\\"))
    return hostVerdict(`http:${url}`, ownHosts);
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: "local" };
  if (scheme === "javascript" || scheme === "vbscript") return { kind: "script" };
  if (scheme === "data") return { kind: "data" };
  if (NETWORK.has(scheme)) return hostVerdict(url, ownHosts);
  return { kind: "local" };
}

function hostVerdict(url: string, ownHosts: ReadonlySet<string>): UrlVerdict {
  let host: string;
  try {
    host = new URL(url.replace(/\\/g, "/")).host.toLowerCase();
  } catch {
    return { kind: "other-host", host: url.slice(0, 60) };
  }
  return ownHosts.has(host) ? { kind: "local" } : { kind: "other-host", host };
}
