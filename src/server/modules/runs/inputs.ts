import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { jsonPieces, TextHash } from "../../../engine/index.js";
import { scoringRuns } from "../../db/schema/index.js";
import { nodeSha256 } from "./node-sha256.js";
import type { RunInputs } from "./scoring.js";

/**
 * How a run's frozen inputs are stored, and the one place they are read back. Since migration 0031 a new
 * run keeps them gzipped in `scoring_runs.inputs_gz` (the JSON text: a JSONB value holds at most 256 MB,
 * which the inputs of a province's run pass; gzip makes them a fraction of the text), `inputs` left NULL;
 * a run stored before keeps them in `inputs` (JSONB). Exactly one of the two is set (a CHECK constraint).
 * Either way the value read back is the same, so the content hash (audit/content.ts runContent) of a run
 * is the same whichever column holds it.
 *
 * Neither way builds the inputs as one string: V8 holds at most about 512 M characters in one, about
 * 7 M values of a run (docs/scale.md). They are written as JSON pieces (engine jsonPieces, a piece per
 * row), gzipped by zlib in its thread pool as they come, and hashed in the same pass; they are read back
 * by unzipping as a stream and parsing the rows one by one.
 */

/** The columns to select for `runInputs`: `db.select({ ...storedInputs, … })`. */
export const storedInputs = { inputs: scoringRuns.inputs, inputsGz: scoringRuns.inputsGz };

/** Text given to gzip at a time: large enough that zlib's thread pool, not the hand-over, is the cost. */
const BATCH_CHARS = 1 << 20;

/**
 * A run's content hash (audit/content.ts `contentHash(runContent(run))`: SHA-256 of the canonical JSON
 * of `{ inputs, result }`), its text written as pieces rather than one string; the same digest.
 */
export function runContentHash(run: { inputs: unknown; result: unknown }): string {
  const hash = new TextHash(nodeSha256);
  for (const piece of contentPieces(run)) hash.update(piece);
  return hash.digest();
}

// content → inputs → rows → a row: each row (and each unit of the result) is one piece.
const contentPieces = (run: { inputs: unknown; result: unknown }) =>
  jsonPieces({ inputs: run.inputs, result: run.result }, { canonical: true, depth: 3 });

/**
 * The stored form of a new run's inputs (the columns to insert) and the run's content hash. The bytes
 * are exactly `gzipSync(JSON.stringify(inputs))`'s (deflate's output does not depend on how its input is
 * cut), so runs stored before and since compare byte for byte; the gzip runs off the event loop while
 * the same pass hashes the canonical text.
 */
export async function packInputs(
  inputs: RunInputs,
  result: unknown,
): Promise<{ columns: { inputs: null; inputsGz: Buffer }; contentHash: string }> {
  const hash = new TextHash(nodeSha256);
  const content = contentPieces({ inputs, result });
  /** Hashes about as many characters of the content as were just given to gzip (the two texts differ in order). */
  const hashAbout = (chars: number) => {
    let done = 0;
    while (done < chars) {
      const next = content.next();
      if (next.done) return;
      hash.update(next.value);
      done += next.value.length;
    }
  };
  async function* batches() {
    let batch: string[] = [];
    let size = 0;
    for (const piece of jsonPieces(inputs, { depth: 2 })) {
      batch.push(piece);
      size += piece.length;
      if (size >= BATCH_CHARS) {
        yield Buffer.from(batch.join(""), "utf8");
        hashAbout(size);
        batch = [];
        size = 0;
      }
    }
    if (size > 0) yield Buffer.from(batch.join(""), "utf8");
  }
  const gzipped: Buffer[] = [];
  await pipeline(Readable.from(batches()), createGzip(), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) gzipped.push(chunk);
  });
  hashAbout(Number.POSITIVE_INFINITY);
  return { columns: { inputs: null, inputsGz: Buffer.concat(gzipped) }, contentHash: hash.digest() };
}

/** A stored run's frozen inputs, from whichever column holds them. */
export async function runInputs(row: { inputs: unknown; inputsGz: Buffer | null }): Promise<RunInputs> {
  if (row.inputsGz) return (await parseGzippedJson(row.inputsGz)) as RunInputs;
  if (row.inputs == null) throw new Error("scoring_runs: a run with neither inputs nor inputs_gz");
  return row.inputs as RunInputs;
}

/** Only the plan a run scored, unzipping no further than it (it comes before the rows). */
export async function runPlan(row: { inputs: unknown; inputsGz: Buffer | null }): Promise<RunInputs["plan"]> {
  if (row.inputsGz) return ((await parseGzippedJson(row.inputsGz, "plan")) as RunInputs).plan;
  return (await runInputs(row)).plan;
}

/**
 * Parses gzipped JSON unzipped as a stream, without its text as one string: a top-level object's
 * members are parsed one by one, and a member that is an array element by element (a run's rows).
 * Anything else is parsed whole. `until`: stop once that member is read.
 */
export async function parseGzippedJson(gz: Buffer, until?: string): Promise<unknown> {
  const gunzip = createGunzip();
  gunzip.end(gz);
  // Leaving the loop early (`until`) destroys the stream: the rest is never unzipped.
  return parseJsonChunks(gunzip, until);
}

/** JSON text given as chunks of UTF-8 bytes, cut anywhere, parsed as `parseGzippedJson` parses. */
export async function parseJsonChunks(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  until?: string,
): Promise<unknown> {
  const parser = new MemberParser(until);
  for await (const chunk of chunks) {
    parser.write(chunk);
    if (parser.stopped) break;
  }
  return parser.end();
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const isOpen = (b: number) => b === 0x7b || b === 0x5b;
const isClose = (b: number) => b === 0x7d || b === 0x5d;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * A byte scanner of JSON text that cuts it at its top-level object's members and at the elements of
 * members that are arrays, and parses each cut with JSON.parse. Structural bytes are ASCII, and no byte
 * of a multi-byte UTF-8 character is ASCII, so the bytes are scanned undecoded and each cut is decoded
 * whole (a character split between two chunks is joined before decoding).
 */
class MemberParser {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Where the scanner is in the top-level object. */
  private state: "start" | "key" | "valueStart" | "value" | "array" | "afterArray" | "done" | "whole" =
    "start";
  /** The bytes of the current cut in chunks before this one, and where it starts in this one. */
  private carried: Buffer[] = [];
  private from = -1;
  private key = "";
  private array: unknown[] = [];
  /** A comma has come at the top level: an empty cut before the closing brace is then a trailing comma. */
  private afterComma = false;
  private readonly object: Record<string, unknown> = {};
  stopped = false;

  constructor(private readonly until?: string) {}

  write(chunk: Buffer): void {
    if (this.from !== -1) this.from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) this.inString = false;
        continue;
      }
      if (this.state === "whole") {
        if (b === QUOTE) this.inString = true;
        continue;
      }
      if (this.state === "start") {
        if (isSpace(b)) continue;
        if (b !== 0x7b) {
          // Not an object: kept whole, parsed at the end.
          this.state = "whole";
          this.from = i;
          if (b === QUOTE) this.inString = true;
          continue;
        }
        this.depth = 1;
        this.state = "key";
        this.from = i + 1;
        continue;
      }
      // JSON.parse checks each cut; the top level's own structure is checked here (nothing may follow it).
      if (this.state === "done" || (this.state === "afterArray" && b !== COMMA && b !== 0x7d)) {
        if (isSpace(b)) continue;
        throw this.malformed();
      }
      if (b === QUOTE) {
        this.inString = true;
        if (this.state === "valueStart") this.state = "value";
        continue;
      }
      if (this.state === "valueStart" && !isSpace(b)) {
        if (b === 0x5b) {
          this.depth = 2;
          this.state = "array";
          this.array = [];
          this.from = i + 1;
          continue;
        }
        this.state = "value";
      }
      if (isOpen(b)) {
        this.depth++;
        continue;
      }
      if (isClose(b)) {
        this.depth--;
        if (this.depth === 1 && this.state === "array") {
          const text = this.cut(chunk, i);
          if (b !== 0x5d || (text.trim() === "" && this.array.length > 0)) throw this.malformed();
          if (text.trim() !== "") this.array.push(JSON.parse(text));
          this.member(this.array);
          this.array = [];
          if (!this.stopped) this.state = "afterArray";
        } else if (this.depth === 0) {
          if (b !== 0x7d) throw this.malformed();
          if (this.state === "value") this.member(JSON.parse(this.cut(chunk, i)));
          else if (this.state === "key" && (this.cut(chunk, i).trim() !== "" || this.afterComma))
            throw this.malformed();
          this.state = "done";
        }
        if (this.stopped) return;
        continue;
      }
      if (b === COLON && this.depth === 1 && this.state === "key") {
        const key: unknown = JSON.parse(this.cut(chunk, i));
        if (typeof key !== "string") throw this.malformed();
        this.key = key;
        this.state = "valueStart";
        this.from = i + 1;
      } else if (b === COMMA && this.depth === 1 && (this.state === "value" || this.state === "afterArray")) {
        if (this.state === "value") this.member(JSON.parse(this.cut(chunk, i)));
        if (this.stopped) return;
        this.state = "key";
        this.afterComma = true;
        this.from = i + 1;
      } else if (b === COMMA && this.depth === 2 && this.state === "array") {
        this.array.push(JSON.parse(this.cut(chunk, i)));
        this.from = i + 1;
      }
    }
    if (this.from !== -1 && this.from < chunk.length) this.carried.push(chunk.subarray(this.from));
  }

  end(): unknown {
    if (this.stopped) return this.object;
    if (this.state === "whole") return JSON.parse(Buffer.concat(this.carried).toString("utf8"));
    if (this.state !== "done") throw this.malformed();
    return this.object;
  }

  /** The text of the current cut, up to (not including) byte `to` of this chunk; no cut open after it. */
  private cut(chunk: Buffer, to: number): string {
    const own = chunk.subarray(Math.max(this.from, 0), to);
    const text = this.carried.length
      ? Buffer.concat([...this.carried, own]).toString("utf8")
      : own.toString("utf8");
    this.carried = [];
    this.from = -1;
    return text;
  }

  private member(value: unknown): void {
    // Defined, not assigned: a member named __proto__ is an own member, as JSON.parse makes it.
    Object.defineProperty(this.object, this.key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    if (this.key === this.until) this.stopped = true;
  }

  private malformed(): Error {
    return new SyntaxError("scoring_runs.inputs_gz: not a JSON object");
  }
}
