import { describe, expect, it } from "vitest";
import { generateSigningKeys, signDetached, verifyDetached } from "./signature.js";

describe("detached Ed25519 signatures", () => {
  const office = generateSigningKeys();
  const other = generateSigningKeys();
  const file = Buffer.from("%PDF-1.7 a notice\n");

  it("verifies the office's signature of the file, and names why any other check fails", () => {
    const sig = signDetached(file, office.privateKey);
    expect(JSON.parse(sig)).toMatchObject({ format: "kaohe-signature/1", algorithm: "Ed25519" });
    expect(verifyDetached(file, sig, office.publicKey).ok).toBe(true);
    const changed = Buffer.from(file);
    changed[3] = 0x41;
    expect(verifyDetached(changed, sig, office.publicKey)).toEqual({ ok: false, reason: "other-file" });
    expect(verifyDetached(file, sig, other.publicKey)).toEqual({ ok: false, reason: "other-key" });
    expect(verifyDetached(file, "not json", office.publicKey)).toEqual({ ok: false, reason: "malformed" });
    // A signature made with another key, relabelled as the office's, does not verify.
    const forged = { ...JSON.parse(signDetached(file, other.privateKey)), key: JSON.parse(sig).key };
    expect(verifyDetached(file, JSON.stringify(forged), office.publicKey)).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it("refuses a key that is not Ed25519", () => {
    expect(() => signDetached(file, office.publicKey)).toThrow();
  });
});
