/**
 * SHA-256 and canonical JSON that run the same in Node and in the browser (Web Crypto is asynchronous
 * and absent from some runtimes), so a scoring run's input hash is the same everywhere. The hash is
 * @noble/hashes' (audited, synchronous, no dependencies).
 */
import { sha256 as nobleSha256Impl } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** An incremental SHA-256: bytes in, the 32-byte digest out. */
export interface Sha256 {
  update(bytes: Uint8Array): unknown;
  digest(): Uint8Array;
}

/**
 * Makes a fresh incremental SHA-256. The engine's own is @noble/hashes' (runs anywhere, about
 * 140 MB/s here); a caller with a faster synchronous one of its platform (Node's crypto, about
 * 1.6 GB/s with SHA extensions) may pass it: the digests are the same, only the time differs.
 */
export type Sha256Factory = () => Sha256;

export const nobleSha256: Sha256Factory = () => nobleSha256Impl.create();

/** UTF-8 bytes of a string (the platform's TextEncoder: synchronous in Node and in every browser). */
export function utf8(text: string): Uint8Array {
  return utf8ToBytes(text);
}

/** SHA-256 of a string (as UTF-8) or bytes, as lowercase hex. */
export function sha256(input: string | Uint8Array): string {
  return bytesToHex(nobleSha256Impl(typeof input === "string" ? utf8ToBytes(input) : input));
}

/**
 * SHA-256 of text fed piece by piece, as if the pieces were one string: a large input (millions of
 * data rows) is hashed without ever building it as one string. Pieces are buffered and encoded in
 * blocks of about 64 K characters; a piece must not end inside a surrogate pair (whole JSON texts never do).
 */
export class TextHash {
  private readonly hash: Sha256;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(create: Sha256Factory = nobleSha256) {
    this.hash = create();
  }

  update(text: string): this {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 65_536) this.flush();
    return this;
  }

  digest(): string {
    this.flush();
    return bytesToHex(this.hash.digest());
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.hash.update(utf8ToBytes(this.pending.join("")));
    this.pending = [];
    this.pendingLength = 0;
  }
}

/** JSON with object keys sorted at every depth: equal data always gives equal text (and hash). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
