/**
 * A number's JSON text (JavaScript's shortest round-trip text, as `String(v)` writes it) written
 * straight into a byte buffer, for the values reported statistics mostly have: at most 14 significant
 * digits in fixed notation (2.35, 1200, 0.015). Such a value is an integer r over 10^d that divides
 * back to exactly the same double: r is found at the most decimals d that keep 14 digits, and with its
 * trailing zeros dropped it is the shortest text. Anything else (full-
 * precision doubles, exponent notation, NaN) is left to `String(v)`: the caller falls back.
 */

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
  // The magnitude: a < 10^n.
  let n: number;
  if (a >= 1) {
    n = 1;
    while (a >= (POW10[n] as number)) n++;
  } else {
    n = 0;
    while (a < (BELOW_ONE[1 - n] as number)) n--;
  }
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
