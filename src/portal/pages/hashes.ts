import { createHash } from "node:crypto";

/** A page's content hashes: SM3 (GB/T 32905-2016) and SHA-256 of its article's UTF-8 bytes, lowercase hex. */
export interface PageHashes {
  sm3: string;
  sha256: string;
}

/** The hashes of a text's UTF-8 bytes (SM3 from Node's OpenSSL, which has it since 1.1.1). */
export function pageHashes(text: string): PageHashes {
  const bytes = Buffer.from(text, "utf8");
  return {
    sm3: createHash("sm3").update(bytes).digest("hex"),
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}
