import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, sha256, TextHash } from "./hash.js";

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
