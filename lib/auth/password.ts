/**
 * Password hashing with scrypt from node:crypto (no native addon, no extra dependency).
 * Stored form: scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>, so the cost can be raised
 * later without breaking existing hashes.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", N, R, P, salt.toString("base64"), key.toString("base64")].join("$");
}

/**
 * True only for the right password and a well-formed stored hash. A malformed hash (wrong
 * shape, a key shorter than 16 bytes — an empty key would match anything — or scrypt
 * parameters out of range) is a refusal, never an exception and never a match.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const cost = Number(n);
  const blockSize = Number(r);
  const parallel = Number(p);
  const saneParameters =
    Number.isInteger(cost) &&
    cost >= 1024 &&
    cost <= 1 << 20 &&
    (cost & (cost - 1)) === 0 && // a power of two, as scrypt requires
    Number.isInteger(blockSize) &&
    blockSize >= 1 &&
    blockSize <= 32 &&
    Number.isInteger(parallel) &&
    parallel >= 1 &&
    parallel <= 16;
  const expected = Buffer.from(keyB64, "base64");
  const salt = Buffer.from(saltB64, "base64");
  if (!saneParameters || expected.length < 16 || salt.length < 8) return false;
  try {
    const key = await scrypt(password, salt, expected.length, {
      N: cost,
      r: blockSize,
      p: parallel,
      maxmem: 256 * 1024 * 1024,
    });
    return key.length === expected.length && timingSafeEqual(key, expected);
  } catch {
    return false; // parameters scrypt itself refuses (memory limits)
  }
}

/** A readable random password for first start and resets: 4 groups of 5 characters. */
export function generatePassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(20);
  let out = "";
  for (let i = 0; i < 20; i++) {
    if (i > 0 && i % 5 === 0) out += "-";
    out += alphabet[bytes[i]! % alphabet.length];
  }
  return out;
}
