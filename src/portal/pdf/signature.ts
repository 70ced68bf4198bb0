import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { bytesHashes } from "../pages/hashes.js";

/** A detached signature file (`notice.pdf.sig`): JSON naming what was signed, by which key. */
export interface DetachedSignature {
  format: "kaohe-signature/1";
  algorithm: "Ed25519";
  /** The signed file's hashes, to tell a wrong file from a wrong signature. */
  sha256: string;
  sm3: string;
  /** The SHA-256 (hex) of the public key's DER (SPKI), to tell which key signed. */
  key: string;
  /** The Ed25519 signature of the file's bytes, base64. */
  signature: string;
}

/** A new Ed25519 key pair as PEM: the private key for the office to keep, the public one to hand out. */
export function generateSigningKeys(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

const fingerprint = (key: KeyObject) => bytesHashes(key.export({ type: "spki", format: "der" })).sha256;

/** Signs a file's bytes with an Ed25519 private key (PEM): the detached signature, as JSON text. */
export function signDetached(file: Uint8Array, privateKeyPem: string): string {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== "ed25519") throw new Error("not an Ed25519 private key");
  const signature: DetachedSignature = {
    format: "kaohe-signature/1",
    algorithm: "Ed25519",
    ...bytesHashes(file),
    key: fingerprint(createPublicKey(key)),
    signature: sign(null, file, key).toString("base64"),
  };
  return `${JSON.stringify(signature, null, 2)}\n`;
}

export type SignatureCheck =
  | { ok: true; key: string }
  | { ok: false; reason: "malformed" | "other-key" | "other-file" | "bad-signature" };

/**
 * Checks a detached signature of a file against the office's public key (PEM): whether it is that
 * key's signature of exactly these bytes. The reasons tell a changed file from another key's or a
 * forged signature.
 */
export function verifyDetached(
  file: Uint8Array,
  signatureText: string,
  publicKeyPem: string,
): SignatureCheck {
  let s: Partial<DetachedSignature>;
  try {
    s = JSON.parse(signatureText) as Partial<DetachedSignature>;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (s.format !== "kaohe-signature/1" || s.algorithm !== "Ed25519" || typeof s.signature !== "string")
    return { ok: false, reason: "malformed" };
  const key = createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType !== "ed25519") throw new Error("not an Ed25519 public key");
  if (s.key !== fingerprint(key)) return { ok: false, reason: "other-key" };
  if (s.sha256 !== bytesHashes(file).sha256) return { ok: false, reason: "other-file" };
  const valid = verify(null, file, key, Buffer.from(s.signature, "base64"));
  return valid ? { ok: true, key: s.key } : { ok: false, reason: "bad-signature" };
}
