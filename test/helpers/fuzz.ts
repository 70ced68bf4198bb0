import fc from "fast-check";

/**
 * Inputs for fuzzing the API from its own OpenAPI document: fast-check arbitraries generated from the
 * JSON schemas of bodies, queries and path parameters, mixed with values no schema expects (hostile
 * strings, wrong types, deep nesting, prototype keys). Everything is sent as raw text, so that a body
 * can be what `JSON.stringify` would never write (a `__proto__` key, 10,000 levels of nesting).
 */

export type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
};

export type Operation = {
  parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema: JsonSchema }> };
};

export type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

/** 1 MiB of text: past every text limit of the service, under the body limit of most routes. */
export const MEGABYTE = "長".repeat(1 << 18) + "x".repeat(1 << 18);

/** Strings that break careless code: NUL, lone surrogates, bidi marks, prototype names, injections. */
export const hostileStrings: readonly string[] = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "x\ud83dy",
  "\u202eevil\u202c",
  "\u200f\u200e\u2066\u2069",
  "\ufeff",
  "e\u0301\u0301\u0301\u0301",
  "🀄️👨‍👩‍👧‍👦",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "../../../../etc/passwd",
  "%00",
  "%ff%fe",
  "' OR '1'='1' --",
  "'; DROP TABLE users; --",
  "<script>alert(1)</script>",
  '=HYPERLINK("http://x")',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the log4j lookup, as text, is the point
  "${jndi:ldap://x}",
  "NaN",
  "Infinity",
  "-0",
  "1e309",
  "9".repeat(400),
  "00000000-0000-0000-0000-000000000000",
  "2026-02-30T25:61:61Z",
  "\r\n\r\nHTTP/1.1 200 OK",
  MEGABYTE,
];

/** JSON texts (not values) that no serialiser writes but a client may send. */
export const hostileJsonTexts: readonly string[] = [
  '{"__proto__":{"isAdmin":true,"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"a":1,"a":2}',
  `${"[".repeat(10_000)}${"]".repeat(10_000)}`,
  `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`,
  "[]",
  "null",
  '"text"',
  "1e999999",
  "-0",
  '{"x":"\\ud800"}',
  '{"x":"\\u0000"}',
  `{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`).join(",")}}`,
  `[${Array.from({ length: 100_000 }, () => "0").join(",")}]`,
  "{",
  '{"a":tru}',
  "\ufeff{}",
];

/** The object keys a body may carry besides its own: prototype names and the unexpected. */
const hostileKeys = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "", "\u0000", "🀄");

/** Any JSON value, some of them deep. */
const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 4 });

/** A string a schema with these constraints may accept (or come close to). */
function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Math.max(min, 40);
  const near = fc.string({ unit: "grapheme", minLength: min, maxLength: Math.min(max, min + 40) });
  switch (schema.format) {
    case "uuid":
      return fc.uuid();
    case "date-time":
      return fc
        .date({ min: new Date("1970-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
        .map((d) => d.toISOString());
    case "email":
      return fc.emailAddress();
    default:
      if (schema.pattern) {
        // Bounded by maxLength only: a pattern may demand more than the 40 characters of `near`.
        const longest = schema.maxLength ?? Number.POSITIVE_INFINITY;
        const matching = fc.stringMatching(new RegExp(schema.pattern)).map((s) => s.slice(0, longest));
        return fc.oneof(matching, near);
      }
      return fc.oneof(near, fc.string({ unit: "binary", maxLength: 60 }));
  }
}

function numberFor(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo = schema.minimum ?? schema.exclusiveMinimum ?? -1e6;
  const hi = schema.maximum ?? 1e6;
  const inRange = integer
    ? fc.integer({ min: Math.ceil(Math.max(lo, -(2 ** 31))), max: Math.floor(Math.min(hi, 2 ** 31)) })
    : fc.double({ min: lo, max: hi, noNaN: true });
  const edges = fc.constantFrom(
    0,
    -1,
    1.5,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    1e308,
    -1e308,
    5e-324,
    2 ** 53 + 1,
  );
  return fc.oneof({ weight: 3, arbitrary: inRange }, { weight: 1, arbitrary: edges });
}

/**
 * Values for a schema: mostly of its shape (so a request gets past the first check to the code behind
 * it), sometimes a hostile string in place of a string, sometimes another type altogether.
 */
export function valueFor(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const hostile = fc.constantFrom(...hostileStrings);
  const wrong = fc.oneof(anyJson, hostile);
  const shaped = shapedFor(schema, depth);
  return fc.oneof({ weight: 8, arbitrary: shaped }, { weight: 1, arbitrary: wrong });
}

function shapedFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice?.length) return fc.oneof(...choice.map((s) => valueFor(s, depth + 1)));
  if (schema.allOf?.length) return valueFor(schema.allOf[0]!, depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const type = types.find((t) => t !== "null") ?? (schema.properties ? "object" : undefined);
  if (depth > 6) return anyJson;
  switch (type) {
    case "object": {
      const properties = schema.properties ?? {};
      const required = schema.required ?? [];
      const shape = Object.fromEntries(
        Object.entries(properties).map(([k, s]) => [k, valueFor(s, depth + 1)]),
      );
      const record = fc.record(shape, { requiredKeys: required.filter((k) => k in properties) });
      const extra = fc.dictionary(fc.oneof(hostileKeys, fc.string({ maxLength: 8 })), anyJson, {
        maxKeys: 2,
      });
      return fc
        .tuple(record, fc.option(extra, { freq: 4 }))
        .map(([r, e]) => (e ? { ...r, ...Object.fromEntries(Object.entries(e)) } : r));
    }
    case "array":
      return fc.array(schema.items ? valueFor(schema.items, depth + 1) : anyJson, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case "integer":
      return numberFor(schema, true);
    case "number":
      return numberFor(schema, false);
    case "boolean":
      return fc.boolean();
    case "string":
      return stringFor(schema);
    default:
      return anyJson;
  }
}

/**
 * A JSON text for a body schema: `JSON.stringify` of a generated value, or (a tenth of the time) one
 * of the hostile texts, or a generated object with a `__proto__` key spliced into its text.
 */
export function jsonTextFor(schema: JsonSchema): fc.Arbitrary<string> {
  const value = valueFor(schema).map((v) => JSON.stringify(v) ?? "null");
  const withProto = value.map((text) =>
    text.startsWith("{") && text.length > 2
      ? `{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},${text.slice(1)}`
      : text,
  );
  return fc.oneof(
    { weight: 8, arbitrary: value },
    { weight: 1, arbitrary: withProto },
    { weight: 1, arbitrary: fc.constantFrom(...hostileJsonTexts) },
  );
}

/** Percent-encodes a string's UTF-8 bytes (a lone surrogate becomes U+FFFD's, as a browser sends it). */
export const percentEncode = (s: string) =>
  [...Buffer.from(s, "utf8")]
    .map((b) =>
      (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, "0").toUpperCase()}`,
    )
    .join("");

/** Already-encoded path and query segments that are not valid UTF-8 or are odd for a router. */
export const hostileEncoded: readonly string[] = [
  "%FF",
  "%ED%A0%80",
  "%C0%AF",
  "%00",
  "%",
  "%2e%2e%2f%2e%2e",
  "..",
  "%252F",
  "x".repeat(2_000),
];

/** The text of a query or path parameter: a generated value of its schema, or something hostile. */
export function parameterFor(schema: JsonSchema): fc.Arbitrary<string> {
  const asText = (v: unknown) => percentEncode(typeof v === "string" ? v : JSON.stringify(v));
  return fc.oneof(
    { weight: 6, arbitrary: valueFor(schema).map(asText) },
    { weight: 1, arbitrary: fc.constantFrom(...hostileEncoded) },
    { weight: 1, arbitrary: fc.constantFrom(...hostileStrings.slice(0, -1)).map(percentEncode) },
  );
}

/** Bytes for a file upload of this content type: random, or the start of a real file of that kind. */
export function fileFor(contentType: string): fc.Arbitrary<Buffer> {
  const magic: Record<string, string> = {
    "application/pdf": "%PDF-1.7\n",
    "image/png": "\x89PNG\r\n\x1a\n",
    "image/jpeg": "\xff\xd8\xff\xe0",
    "text/csv": "indicator,period,value\n",
  };
  const head = Buffer.from(magic[contentType] ?? "PK\x03\x04", "latin1");
  return fc.oneof(
    fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
    fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.concat([head, Buffer.from(b)])),
    fc.constantFrom(...hostileStrings).map((s) => Buffer.from(s, "utf8")),
  );
}

/** A run count from the environment (FUZZ_RUNS), or the default that keeps a run under a minute. */
export function fuzzRuns(fallback: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** The fast-check seed of this run (FUZZ_SEED repeats one), printed so a failure can be replayed. */
export function fuzzSeed(): number {
  const n = Number(process.env.FUZZ_SEED);
  return Number.isInteger(n) ? n : Math.floor(Math.random() * 2 ** 31);
}

/** A smallest value a schema accepts (the first choice, the minimum, required keys only), to get past validation. */
export function minimalFor(schema: JsonSchema): unknown {
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice?.length) return minimalFor(choice.find((s) => s.type !== "null") ?? choice[0]!);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type ?? (schema.properties ? "object" : undefined)) {
    case "object":
      return Object.fromEntries(
        (schema.required ?? []).map((k) => [k, minimalFor(schema.properties?.[k] ?? {})]),
      );
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => minimalFor(schema.items ?? {}));
    case "integer":
    case "number":
      return schema.minimum ?? (schema.exclusiveMinimum ?? 0) + 1;
    case "boolean":
      return true;
    case "string":
      if (schema.format === "uuid") return "00000000-0000-4000-8000-000000000000";
      if (schema.format === "date-time") return new Date(Date.now() + 86_400_000).toISOString();
      if (schema.format === "email") return "someone@example.gov.cn";
      if (schema.pattern)
        return fc.sample(fc.stringMatching(new RegExp(schema.pattern)), { numRuns: 1, seed: 1 })[0];
      return "核对".padEnd(schema.minLength ?? 1, "。");
    default:
      return {};
  }
}
