/**
 * A verified backup wrapped for keeping and for the road (issue 15): gzip-compressed in
 * place (`.sqlite3` → `.sqlite3.gz`), and/or an age-encrypted copy beside it (`<file>.age`).
 *
 * Only a backup already verified as plaintext is wrapped: verification, a rollback and a
 * drill read the local file and never need a private key, so the local copy stays
 * unencrypted (0600, like the live database it copies) and the encrypted form is what leaves
 * the machine. The server holds only public keys (recipients): it can encrypt, never decrypt.
 *
 * Each form is written under a temporary name, fsynced and renamed, like the backup itself.
 * The compressed file is read back and inflated before the plaintext is removed, and must
 * hash to the plaintext's SHA-256: a .gz that does not give back the verified bytes never
 * replaces them.
 */
import { createHash } from "node:crypto";
import { renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { encryptFile, gzipFile, inflateFile } from "../engine/wrapped-files.ts";
import { fileSize, fsyncFile, sha256File } from "../engine/private-files.ts";

export type CompressedBackup = { path: string; file: string; bytes: number; sha256: string };

export type EncryptedBackup = {
  path: string;
  file: string;
  bytes: number;
  sha256: string;
  /** The public keys it was encrypted to (public by nature: stored as they are, see catalogue.ts). */
  recipients: string[];
};

/** `<path>.gz` in place of `path`, proven to inflate to `plaintextSha256`; the plaintext is then removed. */
export async function compressBackup(path: string, plaintextSha256: string): Promise<CompressedBackup> {
  const file = `${basename(path)}.gz`;
  const destination = join(dirname(path), file);
  const partial = join(dirname(path), `.${file}.partial`);
  try {
    await gzipFile(path, partial);
    fsyncFile(partial);
    const hash = createHash("sha256");
    await inflateFile(partial, (chunk) => hash.update(chunk));
    const inflated = hash.digest("hex");
    if (inflated !== plaintextSha256)
      throw new Error(`the compressed file inflates to ${inflated}, not the backup's ${plaintextSha256}`);
    renameSync(partial, destination);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  rmSync(path, { force: true });
  return { path: destination, file, bytes: fileSize(destination), sha256: await sha256File(destination) };
}

/** `<path>.age` beside `path`, encrypted to every recipient; `path` is kept. */
export async function encryptBackup(path: string, recipients: readonly string[]): Promise<EncryptedBackup> {
  const file = `${basename(path)}.age`;
  const destination = join(dirname(path), file);
  const partial = join(dirname(path), `.${file}.partial`);
  try {
    await encryptFile(path, partial, recipients);
    fsyncFile(partial);
    renameSync(partial, destination);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return {
    path: destination,
    file,
    bytes: fileSize(destination),
    sha256: await sha256File(destination),
    recipients: [...recipients],
  };
}
