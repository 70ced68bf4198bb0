/**
 * Exact arithmetic in doubles, for the number readers and writers that must agree with JavaScript's
 * own to the last bit (the CSV reader's decimals, the data hash's number text): the error of a product
 * (JavaScript has no fused multiply-add) and a double's spacing, read from its bits.
 */

/** 2^27 + 1: Veltkamp's constant, which splits a double into two halves of 26 bits. */
const SPLITTER = 134_217_729;

/**
 * a × b − p exactly, where p is the double a * b (Dekker's product): p plus this is the exact product,
 * for products that neither overflow nor underflow.
 */
export function productError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

// A double's bits, read through a reused buffer (one call at a time, as everywhere in the engine).
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
/** 2^(e − 1075) for each biased exponent e: the spacing of normal doubles of that exponent. */
const ULP = Float64Array.from({ length: 2048 }, (_, e) => 2 ** (e - 1075));

/** The spacing of doubles at a positive normal double (its last bit's value). */
export function ulpOf(a: number): number {
  bits[0] = a;
  return ULP[((words[HIGH] as number) >>> 20) & 0x7ff] as number;
}

/** Whether a positive double is a power of two: its mantissa's bits are all 0 (a nearer neighbour below). */
export function isPowerOfTwo(a: number): boolean {
  bits[0] = a;
  return ((words[HIGH] as number) & 0xfffff) === 0 && words[1 - HIGH] === 0;
}
