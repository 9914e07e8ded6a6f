/**
 * PostgreSQL's `hashtextextended(text, seed)` in JavaScript — Bob Jenkins' hash as
 * PostgreSQL implements it (src/common/hashfn.c, hash_bytes_extended), on little-endian
 * machines, for a text's UTF-8 bytes. Both databases can then produce the same per-row hash:
 * PostgreSQL natively (fast, in parallel workers), SQLite through this function while its
 * rows stream by. A test checks it against a real server, byte for byte.
 */

// State of the hash in progress, as int32 (JavaScript's bit operators wrap at 32 bits just
// like C's uint32 arithmetic, and int32 keeps the JIT on its fastest path).
let a = 0;
let b = 0;
let c = 0;

function mix() {
  a = (a - c) | 0;
  a ^= (c << 4) | (c >>> 28);
  c = (c + b) | 0;
  b = (b - a) | 0;
  b ^= (a << 6) | (a >>> 26);
  a = (a + c) | 0;
  c = (c - b) | 0;
  c ^= (b << 8) | (b >>> 24);
  b = (b + a) | 0;
  a = (a - c) | 0;
  a ^= (c << 16) | (c >>> 16);
  c = (c + b) | 0;
  b = (b - a) | 0;
  b ^= (a << 19) | (a >>> 13);
  a = (a + c) | 0;
  c = (c - b) | 0;
  c ^= (b << 4) | (b >>> 28);
  b = (b + a) | 0;
}

function final() {
  c ^= b;
  c = (c - ((b << 14) | (b >>> 18))) | 0;
  a ^= c;
  a = (a - ((c << 11) | (c >>> 21))) | 0;
  b ^= a;
  b = (b - ((a << 25) | (a >>> 7))) | 0;
  c ^= b;
  c = (c - ((b << 16) | (b >>> 16))) | 0;
  a ^= c;
  a = (a - ((c << 4) | (c >>> 28))) | 0;
  b ^= a;
  b = (b - ((a << 14) | (a >>> 18))) | 0;
  c ^= b;
  c = (c - ((b << 24) | (b >>> 8))) | 0;
}

/**
 * hash_bytes_extended(k[0..keylen), seed) with the seed given as its two 32-bit halves.
 * Returns the 64-bit result as [high 32 bits, low 32 bits], unsigned (PostgreSQL: (b << 32) | c).
 */
export function hashBytesExtended(k: Uint8Array, keylen: number, seedHi: number, seedLo: number): [number, number] {
  a = b = c = (0x9e3779b9 + keylen + 3923095) | 0;
  if (seedHi !== 0 || seedLo !== 0) {
    a = (a + seedHi) | 0;
    b = (b + seedLo) | 0;
    mix();
  }
  let i = 0;
  let len = keylen;
  while (len >= 12) {
    a = (a + (k[i]! | (k[i + 1]! << 8) | (k[i + 2]! << 16) | (k[i + 3]! << 24))) | 0;
    b = (b + (k[i + 4]! | (k[i + 5]! << 8) | (k[i + 6]! << 16) | (k[i + 7]! << 24))) | 0;
    c = (c + (k[i + 8]! | (k[i + 9]! << 8) | (k[i + 10]! << 16) | (k[i + 11]! << 24))) | 0;
    mix();
    i += 12;
    len -= 12;
  }
  // The last 0–11 bytes; the lowest byte of c is left for the length, as PostgreSQL does.
  switch (len) {
    case 11:
      c = (c + (k[i + 10]! << 24)) | 0;
    case 10:
      c = (c + (k[i + 9]! << 16)) | 0;
    case 9:
      c = (c + (k[i + 8]! << 8)) | 0;
    case 8:
      b = (b + (k[i + 7]! << 24)) | 0;
    case 7:
      b = (b + (k[i + 6]! << 16)) | 0;
    case 6:
      b = (b + (k[i + 5]! << 8)) | 0;
    case 5:
      b = (b + k[i + 4]!) | 0;
    case 4:
      a = (a + (k[i + 3]! << 24)) | 0;
    case 3:
      a = (a + (k[i + 2]! << 16)) | 0;
    case 2:
      a = (a + (k[i + 1]! << 8)) | 0;
    case 1:
      a = (a + k[i]!) | 0;
  }
  final();
  return [b >>> 0, c >>> 0];
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(64 * 1024);

/** hashtextextended(text, seed) for a JavaScript string, as [high, low] unsigned 32-bit halves. */
export function hashTextExtended(text: string, seed: bigint): [number, number] {
  const { bytes, length } = utf8(text);
  return hashBytesExtended(bytes, length, Number((seed >> 32n) & 0xffffffffn), Number(seed & 0xffffffffn));
}

/** The UTF-8 bytes of a string in a reused buffer (valid until the next call). */
export function utf8(text: string): { bytes: Uint8Array; length: number } {
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3 + 1024);
  return { bytes: scratch, length: encoder.encodeInto(text, scratch).written };
}
