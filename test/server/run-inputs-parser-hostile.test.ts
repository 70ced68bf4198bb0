import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJsonChunks } from "../../src/server/modules/runs/inputs.js";

/** What JSON.parse makes of `text`: its value, or that it refuses it. */
const expected = (text: string) => {
  try {
    return { ok: true as const, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false as const };
  }
};

/** The streamed reader's answer for `text` cut into two chunks at byte `at`. */
const streamed = async (bytes: Buffer, at: number) => {
  try {
    return { ok: true as const, value: await parseJsonChunks([bytes.subarray(0, at), bytes.subarray(at)]) };
  } catch {
    return { ok: false as const };
  }
};

/** Compares own keys as JSON.parse makes them (toEqual ignores a prototype set by `__proto__`). */
const sameAsJsonParse = async (text: string) => {
  const bytes = Buffer.from(text, "utf8");
  const want = expected(text);
  for (let at = 0; at <= bytes.length; at++) {
    const got = await streamed(bytes, at);
    expect({ text, at, ok: got.ok }).toEqual({ text, at, ok: want.ok });
    if (want.ok && got.ok) {
      expect(got.value).toEqual(want.value);
      if (want.value && typeof want.value === "object" && !Array.isArray(want.value)) {
        expect(Object.getPrototypeOf(got.value)).toBe(Object.prototype);
        expect(Object.keys(got.value as object)).toEqual(Object.keys(want.value));
      }
    }
  }
};

describe("the streamed JSON reader, against hostile text", () => {
  it("refuses what JSON.parse refuses, at the top level's structure, cut at every byte", async () => {
    for (const text of [
      '{"a":1,}', // a trailing comma after a member
      '{"a":[1,]}', // a trailing comma in a member's array
      '{"a":[1] 2}', // something after an array member
      '{"a":[1] "b"}',
      '{"a":[1}', // an array closed by a brace
      '{"a":1]', // the object closed by a bracket
      "{1:2}", // a key that is not a string
      "{[1]:2}",
      '{"a":1}"x"', // something after the object
      '{"a":1}{}',
      '{"a":1} [1]',
      '{"a":[1],}',
      '{"a" :[ ] , "b" : [ [1 , "],[" ] , { "c" : "\\"}" } ] }',
      " { } ",
      "{}",
      '{"a":[]}',
      '{"a":[ ]}',
      '{"\\\\":"\\\\","\\"":["\\"",",",":","]","}"]}',
      '"a string"',
      "[1,2]",
      "3",
      "null",
      "",
      " ",
    ])
      await sameAsJsonParse(text);
  });

  it("a member named __proto__ is an own member, as JSON.parse makes it (the object's prototype untouched)", async () => {
    await sameAsJsonParse('{"__proto__":{"polluted":true},"rows":[1]}');
    await sameAsJsonParse('{"__proto__":[{"polluted":true}]}');
  });

  it("any text one byte off a valid one is parsed or refused as JSON.parse does", async () => {
    const structural = fc.constantFrom("{", "}", "[", "]", ",", ":", '"', "\\", " ", "1", "é");
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
        fc.nat(),
        fc.oneof(fc.constant(undefined), structural),
        async (value, where, insert) => {
          const text = JSON.stringify(value);
          const k = where % (text.length + 1);
          // Either a character removed or one inserted there.
          const mutated =
            insert === undefined
              ? text.slice(0, k) + text.slice(k + 1)
              : text.slice(0, k) + insert + text.slice(k);
          await sameAsJsonParse(mutated);
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);
});
