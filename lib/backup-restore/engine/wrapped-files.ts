/**
 * Backups wrapped for the road: gzip-compressed (`.sqlite3.gz`) and/or encrypted in the
 * `age` format (`.age`, the age-encryption package, interoperable with the `age` tool).
 * Everything streams, so memory stays flat whatever the file's size.
 *
 * Writing (`gzipFile`, `encryptFile`) is done on a backup this app has just written and
 * verified. Reading (`unwrapFile`) is done on untrusted bytes, and only in the isolated child
 * (inspect/inspect-child.ts, driven by inspect/unwrap-isolated.ts): a crafted gzip that
 * inflates to gigabytes is stopped at the cap, a file cut short or tampered with is refused
 * (zlib's end-of-stream check, age's per-chunk MAC and last-chunk flag), and what is
 * refused never leaves a file behind.
 *
 * A wrapping is recognised by its bytes, never the file's name: gzip by its magic `1f 8b`,
 * age by its header line `age-encryption.org/v1`. An encrypted backup of a compressed one
 * (`.sqlite3.gz.age`) is unwrapped in one pass: decrypt, then inflate when the plaintext
 * starts with gzip's magic.
 */
import { closeSync, createReadStream, createWriteStream, openSync, readSync, rmSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { createGunzip, createGzip } from "node:zlib";
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from "age-encryption";
import type { UnwrapRefusalCode, Wrapping } from "../vocabulary.ts";
import type { AgeKeys } from "./age-keys.ts";

export const AGE_HEADER = Buffer.from("age-encryption.org/v1\n", "latin1");

const isGzip = (head: Uint8Array) => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;

/** The outer wrapping of a file, from its first bytes only (safe on any untrusted file). */
export function sniffWrapping(path: string): Wrapping | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null; // a folder (a JSON lines export) or a file gone: not wrapped
  }
  try {
    const head = Buffer.alloc(AGE_HEADER.length);
    const n = readSync(fd, head, 0, head.length, 0);
    if (isGzip(head.subarray(0, n))) return "gzip";
    if (n === AGE_HEADER.length && head.equals(AGE_HEADER)) return "age";
    return null;
  } catch {
    return null; // EISDIR
  } finally {
    closeSync(fd);
  }
}

/** gzip `source` into a new private file (fails if `destination` exists). */
export async function gzipFile(source: string, destination: string): Promise<void> {
  await pipeline(createReadStream(source), createGzip({ level: 6 }), privateWriteStream(destination));
}

/** The plaintext of a gzip file, streamed to `onChunk` (a backup's own .gz checked against its plaintext hash). */
export async function inflateFile(source: string, onChunk: (chunk: Buffer) => void): Promise<void> {
  const gunzip = createGunzip();
  gunzip.on("data", onChunk);
  await pipeline(createReadStream(source), gunzip);
}

/**
 * Encrypt `source` to every recipient (`age1…`) into a new private file. Throws when a
 * recipient is not a valid key (the package checks its checksum).
 */
export async function encryptFile(source: string, destination: string, recipients: readonly string[]): Promise<void> {
  if (recipients.length === 0) throw new Error("no recipient to encrypt to");
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  const sealed = await encrypter.encrypt(toWeb(createReadStream(source)));
  await pipeline(fromWeb(sealed), privateWriteStream(destination));
}

/** A new X25519 key pair, as `age-keygen` makes one: the identity (private) and its recipient (public). */
export async function generateAgeKeyPair(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

/** A refusal found while unwrapping: a code of the vocabulary and what exactly happened. */
export class UnwrapError extends Error {
  constructor(
    readonly code: UnwrapRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

export type UnwrapOutcome =
  | { ok: true; layers: Wrapping[]; bytes: number }
  | { ok: false; code: UnwrapRefusalCode; note: string; layers: Wrapping[] };

/**
 * Writes what `source` holds, unwrapped (decrypted with `keys`, then inflated), to the new
 * private file `destination`, stopping as soon as more than `maxBytes` come out. On any
 * refusal `destination` is removed. Only for the isolated child: this parses untrusted bytes.
 */
export async function unwrapFile(
  source: string,
  destination: string,
  options: { maxBytes: number; keys: AgeKeys },
): Promise<UnwrapOutcome> {
  const layers: Wrapping[] = [];
  let bytes = 0;
  try {
    let input: AsyncIterable<Uint8Array> = createReadStream(source);
    if (sniffWrapping(source) === "age") {
      layers.push("age");
      input = await decryptStream(source, options.keys);
    }
    const { head, replay } = await peek(input, 2);
    const cap = async function* (chunks: AsyncIterable<Uint8Array>) {
      for await (const chunk of chunks) {
        bytes += chunk.length;
        // Refused at the first byte past the cap: a bomb never gets further than this.
        if (bytes > options.maxBytes)
          throw new UnwrapError("INFLATED_TOO_LARGE", `more than ${options.maxBytes} bytes once unwrapped`);
        yield chunk;
      }
    };
    if (isGzip(head)) {
      layers.push("gzip");
      await pipeline(Readable.from(replay), createGunzip(), cap, privateWriteStream(destination));
    } else {
      await pipeline(Readable.from(replay), cap, privateWriteStream(destination));
    }
    return { ok: true, layers, bytes };
  } catch (error) {
    rmSync(destination, { force: true });
    const { code, note } = classify(error);
    return { ok: false, code, note, layers };
  }
}

function classify(error: unknown): { code: UnwrapRefusalCode; note: string } {
  if (error instanceof UnwrapError) return { code: error.code, note: error.message };
  const e = error as NodeJS.ErrnoException;
  // zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR "unexpected end of file"): a damaged or cut gzip.
  if (typeof e.code === "string" && e.code.startsWith("Z_")) return { code: "GZIP_CORRUPT", note: e.message };
  return { code: "UNWRAP_FAILED", note: e instanceof Error ? e.message : String(e) };
}

/**
 * The plaintext of an age file, as a stream. The header is read and its MAC checked before
 * this resolves: no key that matches is ENCRYPTED_WRONG_KEY; every later chunk is checked by
 * its MAC as it streams, and the last one must carry age's last-chunk flag, so a file cut at
 * any point (a chunk boundary included) fails instead of reading as a shorter backup.
 */
async function decryptStream(source: string, keys: AgeKeys): Promise<AsyncIterable<Uint8Array>> {
  if (keys.identities.length === 0 && keys.passphrases.length === 0)
    throw new UnwrapError("ENCRYPTED_NEEDS_KEY", "the file is encrypted and no identity or passphrase was given");
  const decrypter = new Decrypter();
  try {
    for (const identity of keys.identities) decrypter.addIdentity(identity);
  } catch (error) {
    throw new UnwrapError("ENCRYPTED_WRONG_KEY", `the identity is not a valid age key (${(error as Error).message})`);
  }
  for (const passphrase of keys.passphrases) decrypter.addPassphrase(passphrase);
  const file = createReadStream(source);
  let plain: ReadableStream<Uint8Array>;
  try {
    plain = await decrypter.decrypt(toWeb(file));
  } catch (error) {
    file.destroy();
    const message = (error as Error).message;
    if (/no identity matched/.test(message))
      throw new UnwrapError("ENCRYPTED_WRONG_KEY", "none of the keys given opens this file");
    throw new UnwrapError("ENCRYPTED_CORRUPT", `the encrypted header is damaged (${message})`);
  }
  return (async function* () {
    try {
      for await (const chunk of fromWeb(plain)) yield chunk as Uint8Array;
    } catch (error) {
      throw new UnwrapError(
        "ENCRYPTED_CORRUPT",
        `the ciphertext is damaged, cut short or was changed (${(error as Error).message})`,
      );
    }
  })();
}

/** The first `n` bytes of a stream (fewer when it is shorter), and the whole stream again. */
async function peek(input: AsyncIterable<Uint8Array>, n: number) {
  const it = input[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < n) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    taken.push(next.value);
    length += next.value.length;
  }
  const replay = (async function* () {
    yield* taken;
    if (ended) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  })();
  return { head: Buffer.concat(taken), replay };
}

function privateWriteStream(path: string) {
  return createWriteStream(path, { flags: "wx", mode: 0o600 });
}

// Node's web streams and the DOM's are the same objects with two type declarations.
const toWeb = (stream: Readable) => Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
const fromWeb = (stream: ReadableStream<Uint8Array>) => Readable.fromWeb(stream as unknown as NodeReadableStream);
