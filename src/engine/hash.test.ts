import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, jsonPieces, sha256, TextHash } from "./hash.js";

describe("sha256", () => {
  it("matches the standard test vectors", () => {
    expect(sha256("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("agrees with Node's crypto on any text, Chinese included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (s) => {
        expect(sha256(s)).toBe(createHash("sha256").update(s, "utf8").digest("hex"));
      }),
    );
    const long = "考核".repeat(1000);
    expect(sha256(long)).toBe(createHash("sha256").update(long, "utf8").digest("hex"));
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 2 } })).toBe(
      '{"a":{"c":2,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe("TextHash", () => {
  it("hashes pieces as the one string they make, however they are cut and however long", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 40 }), { maxLength: 60 }), (pieces) => {
        const hash = new TextHash();
        for (const piece of pieces) hash.update(piece);
        expect(hash.digest()).toBe(sha256(pieces.join("")));
      }),
    );
    // Past the 64 K buffer several times, with multi-byte text at the block edges.
    const pieces = Array.from({ length: 5000 }, (_, i) => `{"unit":"单位${i}","value":${i / 7}}\n`);
    const hash = new TextHash();
    for (const piece of pieces) hash.update(piece);
    expect(hash.digest()).toBe(createHash("sha256").update(pieces.join(""), "utf8").digest("hex"));
  });
});

describe("jsonPieces", () => {
  const joined = (value: unknown, options: Parameters<typeof jsonPieces>[1]) =>
    [...jsonPieces(value, options)].join("");

  it("writes exactly JSON.stringify's and canonicalJson's text, at any depth", () => {
    // Values as JSON.stringify meets them: undefined members, integer-like keys, dates, nested arrays.
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        fc.jsonValue({ maxDepth: 1 }),
        fc.constant(undefined),
        fc.date({ noInvalidDate: true }),
        fc.array(tie("node"), { maxLength: 5 }),
        fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), fc.nat(20).map(String)), tie("node"), {
          maxKeys: 5,
        }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), value), fc.nat(4), (v, depth) => {
        expect(joined(v, { depth })).toBe(JSON.stringify(v));
        expect(joined(v, { depth, canonical: true })).toBe(canonicalJson(v));
      }),
    );
  });

  it("cuts a run's inputs into a piece per row", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ unit: `u${i}`, indicator: "i", value: i }));
    const pieces = [...jsonPieces({ plan: { id: "p" }, rows })];
    expect(pieces.length).toBeGreaterThan(rows.length);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(50);
  });

  it("feeds TextHash the same digest as the whole text", () => {
    const value = {
      b: "考核".repeat(40_000),
      a: Array.from({ length: 3000 }, (_, i) => ({ z: i, y: `${i}` })),
    };
    const hash = new TextHash();
    for (const piece of jsonPieces(value, { canonical: true })) hash.update(piece);
    expect(hash.digest()).toBe(createHash("sha256").update(canonicalJson(value), "utf8").digest("hex"));
  });
});
