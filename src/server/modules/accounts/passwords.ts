import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/** argon2id with the OWASP-recommended minimum (19 MiB, 2 iterations, 1 lane). */
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, options);
export const verifyPassword = (stored: string, password: string): Promise<boolean> =>
  verify(stored, password);

/** A one-time password: 18 random bytes, URL-safe (about 144 bits). */
export const oneTimePassword = (): string => randomBytes(18).toString("base64url");
