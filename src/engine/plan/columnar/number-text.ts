/**
 * A number's JSON text (JavaScript's shortest round-trip text, as `String(v)` writes it) written
 * straight into a byte buffer, for the values reported statistics mostly have: at most 14 significant
 * digits in fixed notation (2.35, 1200, 0.015). Such a value is an integer r over 10^d that divides
 * back to exactly the same double: r is found at the most decimals d that keep 14 digits, and with its
 * trailing zeros dropped it is the shortest text. Full-precision values are writeLongNumber's (below);
 * anything else (exponent notation, NaN) is left to `String(v)`: the caller falls back.
 */
import { isPowerOfTwo, productError, ulpOf } from "../../exact.js";

/** 10^k for k = 0..22, each exact (parsed, not computed: `10 ** k` may be off in the last bit). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** 10^-k for k = 0..6, the doubles nearest (a wrong guess of the magnitude only costs the fast path). */
const BELOW_ONE = [1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6];
/**
 * The most digits taken: below 10^14 two different decimals of the same length (or of one digit less,
 * across a power of ten) are more than one double apart, so the text found is the only shortest one,
 * and v·10^d is within a quarter of its integer, so rounding finds it.
 */
const DIGIT_LIMIT = 1e14;

const ZERO = 0x30;
/** The digits of the scaled value, least significant first (reused: the engine runs one call at a time). */
const digits = new Uint8Array(16);
const MINUS = 0x2d;
const POINT = 0x2e;

/** The n with 10^(n-1) <= a < 10^n for 1e-6 <= a < 1e22, by comparisons (below 1, with rounded powers). */
function magnitude(a: number): number {
  let n: number;
  if (a >= 1) {
    n = 1;
    while (a >= (POW10[n] as number)) n++;
  } else {
    n = 0;
    while (a < (BELOW_ONE[1 - n] as number)) n--;
  }
  return n;
}

/**
 * Writes `String(v)` as ASCII at `at` and returns the end, or -1 (nothing written that counts) where
 * `v` is not one of the values this writes: the caller then writes `String(v)` itself.
 * `out` must have room for 22 bytes from `at`.
 */
export function writeShortNumber(out: Uint8Array, at: number, v: number): number {
  // String(-0) is "0".
  if (v === 0) {
    out[at] = ZERO;
    return at + 1;
  }
  const a = v < 0 ? -v : v;
  // Below 1e-6 String() writes an exponent; NaN fails both comparisons.
  if (!(a >= 1e-6 && a < DIGIT_LIMIT)) return -1;
  const n = magnitude(a);
  // One test at the most decimals that keep 14 digits: a full-precision value is rejected at once.
  const most = 14 - n;
  const p = POW10[most] as number;
  const scaled = Math.round(a * p);
  if (scaled >= DIGIT_LIMIT || scaled / p !== a) return -1;
  // The integer's digits, least significant first, from two parts below 10^8 (small-integer arithmetic).
  const high = Math.floor(scaled / 1e8);
  let low = (scaled - high * 1e8) | 0;
  let length = 0;
  if (high > 0 && low === 0) {
    // Few decimals: the low part is all zeros.
    for (let c = 0; c < 8; c++) digits[length++] = 0;
    low = high | 0;
  } else if (high > 0) {
    for (let c = 0; c < 8; c++) {
      const q = (low / 10) | 0;
      digits[length++] = low - q * 10;
      low = q;
    }
    low = high | 0;
  }
  do {
    const q = (low / 10) | 0;
    digits[length++] = low - q * 10;
    low = q;
  } while (low > 0);
  // Its trailing zeros dropped, it is the shortest text: the fewest decimals that give the same double.
  let zeros = 0;
  while (zeros < most && digits[zeros] === 0) zeros++;
  if (v < 0) out[at++] = MINUS;
  if (length > most) for (let i = length - 1; i >= most; i--) out[at++] = ZERO + (digits[i] as number);
  else out[at++] = ZERO;
  if (zeros === most) return at;
  out[at++] = POINT;
  for (let i = most - 1; i >= zeros; i--) out[at++] = ZERO + (i < length ? (digits[i] as number) : 0);
  return at;
}

/*
 * Full-precision doubles (15 to 17 significant digits, as a computed share or a measured ratio has):
 * the shortest decimal that reads back as v, found by exact arithmetic in doubles. v × 10^k is put
 * in [10^16, 10^17) exactly as hi + lo (Dekker's product: 10^k is exact for k <= 22); v's rounding
 * interval is then x ± h, h = half an ulp of v times 10^k (exact: a power of two times 10^k). The
 * text is the multiple of 100, else of 10, else of 1 nearest x that lies inside: 15, 16 or 17
 * digits (fewer is the short writer's case, tried first); of two as near, the even one (exact halves
 * are found exactly). Wherever the decision is within 1e-7 of the interval's edge or of a tie without
 * being one (never in practice: the rounding errors here are below 1e-12), or v is a power of two
 * (an interval not symmetric), the writer gives up and String(v) decides.
 */

/** How sure a decision must be: distances are compared with a margin far above their rounding error. */
const MARGIN = 1e-7;
/** 17 digits, most significant first (reused). */
const longDigits = new Uint8Array(17);

/** The `count` decimal digits of a small integer into longDigits, its last at `last`. */
function putDigits(value: number, last: number, count: number): void {
  let rest = value;
  for (let i = last; i > last - count; i--) {
    const next = (rest / 10) | 0;
    longDigits[i] = rest - next * 10;
    rest = next;
  }
}

/**
 * Writes `String(v)` for a double of 1e-6 <= |v| < 1e16 whose shortest text has 15 to 17 digits
 * (call writeShortNumber first), and returns the end; -1 where it leaves v to String().
 * `out` must have room for 25 bytes from `at`.
 */
export function writeLongNumber(out: Uint8Array, at: number, v: number): number {
  const a = v < 0 ? -v : v;
  // A power of two has a nearer neighbour below than above: left to String().
  if (!(a >= 1e-6 && a < 1e16) || isPowerOfTwo(a)) return -1;
  // The scale k: a × 10^k in [1e16, 1e17), as hi + lo exactly. Where the magnitude from rounded
  // powers is one off (1e-6 itself, a short number), the product is out of that range: String().
  const k = 17 - magnitude(a);
  const hi = a * (POW10[k] as number);
  const lo = productError(a, POW10[k] as number, hi);
  if (!(hi > 1e16 && hi < 1e17)) return -1;
  // Half an ulp of a, times 10^k: a power of two times an exact power of ten, so exact.
  const h = (ulpOf(a) / 2) * (POW10[k] as number);
  // x = hi + lo = q × 1000 + rem + lo, with q and rem integers (hi is one: it is above 2^53). The floor
  // is exact: hi / 1000 rounds by at most ulp(hi) / 1024, and is an integer or at least ulp(hi) / 1000
  // from one (hi is a multiple of its ulp).
  const q = Math.floor(hi / 1000);
  const p = q * 1000;
  const rem = hi - p - productError(q, 1000, p);
  if (!(rem >= 0 && rem < 1000)) return -1;
  const t = rem + lo;
  // The nearest multiple of s to x, for s = 100, 10, 1, until one is inside the interval.
  let chosen = Number.NaN;
  for (let s = 100; s >= 1 && Number.isNaN(chosen); s /= 10) {
    const below = Math.floor(t / s) * s;
    let best = Number.NaN;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let c = below; c <= below + s; c += s) {
      // c - rem is an exact integer; only its difference with lo rounds (by less than 1e-12).
      const distance = Math.abs(c - rem - lo);
      if (Math.abs(distance - h) <= MARGIN) return -1;
      if (distance > h) continue;
      if (Math.abs(distance - bestDistance) <= MARGIN) {
        // Both inside and as near: x is exactly halfway (a value of few binary digits, 1e15 - 1.25)
        // or too near to tell. Halfway, ECMAScript takes the even digit; too near, String() decides.
        if (lo !== below + s / 2 - rem) return -1;
        best = (c / s) % 2 === 0 ? c : best;
        continue;
      }
      if (distance < bestDistance) {
        best = c;
        bestDistance = distance;
      }
    }
    chosen = best;
  }
  if (Number.isNaN(chosen)) return -1;
  // The digits of q × 1000 + chosen (chosen may carry into q), 17 of them.
  const carry = Math.floor(chosen / 1000);
  const top = q + carry;
  const low3 = (chosen - carry * 1000) | 0;
  if (!(top >= 1e13 && top < 1e14)) return -1;
  // Three parts below 10^7, each in small-integer arithmetic.
  const upper = Math.floor(top / 1e7);
  putDigits(low3, 16, 3);
  putDigits((top - upper * 1e7) | 0, 13, 7);
  putDigits(upper | 0, 6, 7);
  let length = 17;
  while (length > 1 && longDigits[length - 1] === 0) length--;
  // The value is digits × 10^-k: 17 - k digits before the point.
  const whole = 17 - k;
  if (v < 0) out[at++] = MINUS;
  if (whole <= 0) {
    out[at++] = ZERO;
    out[at++] = POINT;
    for (let i = whole; i < 0; i++) out[at++] = ZERO;
    for (let i = 0; i < length; i++) out[at++] = ZERO + (longDigits[i] as number);
    return at;
  }
  for (let i = 0; i < whole; i++) out[at++] = ZERO + (i < length ? (longDigits[i] as number) : 0);
  if (whole >= length) return at;
  out[at++] = POINT;
  for (let i = whole; i < length; i++) out[at++] = ZERO + (longDigits[i] as number);
  return at;
}
