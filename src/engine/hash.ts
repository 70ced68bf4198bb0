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
    // A piece past the buffer's size is encoded alone: joining it to the pending ones would copy it.
    if (text.length >= 65_536) {
      this.flush();
      this.hash.update(utf8ToBytes(text));
      return this;
    }
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

const sortedEntries = (v: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The JSON text of a value as pieces whose concatenation is exactly `JSON.stringify(value)` (or, with
 * `canonical`, exactly `canonicalJson(value)`): objects and arrays are opened down to `depth` levels
 * and everything deeper is written whole, one piece each. A run's frozen inputs (millions of rows, at
 * depth 2) are so written, gzipped and hashed without ever being one string (V8 holds at most about
 * 512 M characters in one: docs/scale.md).
 */
export function* jsonPieces(
  value: unknown,
  options: { canonical?: boolean; depth?: number } = {},
): Generator<string, void, undefined> {
  const canonical = options.canonical ?? false;
  const whole = canonical ? canonicalJson : JSON.stringify;
  function* write(v: unknown, key: string, depth: number): Generator<string, void, undefined> {
    // JSON.stringify's own order: toJSON first (a Date), then (canonicalJson's replacer) keys sorted.
    if (v && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function")
      v = (v as { toJSON: (key: string) => unknown }).toJSON(key);
    if (depth <= 0 || !v || typeof v !== "object") {
      yield whole(v) as string;
      return;
    }
    if (Array.isArray(v)) {
      yield "[";
      for (let i = 0; i < v.length; i++) {
        if (i > 0) yield ",";
        const item = v[i] as unknown;
        // What JSON.stringify writes for an element it cannot write: null.
        if (item === undefined || typeof item === "function" || typeof item === "symbol") yield "null";
        else yield* write(item, String(i), depth - 1);
      }
      yield "]";
      return;
    }
    // canonicalJson rebuilds each object from its sorted entries, so integer-like keys still come first.
    const object = canonical ? sortedEntries(v as Record<string, unknown>) : (v as Record<string, unknown>);
    let first = true;
    yield "{";
    for (const k of Object.keys(object)) {
      const item = object[k];
      if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
      yield `${first ? "" : ","}${JSON.stringify(k)}:`;
      first = false;
      yield* write(item, k, depth - 1);
    }
    yield "}";
  }
  yield* write(value, "", options.depth ?? 2);
}
