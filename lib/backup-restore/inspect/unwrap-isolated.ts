/**
 * A compressed and/or encrypted backup opened into the file it holds, by the isolated child
 * (inspect-child.ts `unwrap`, engine/wrapped-files.ts): inflating and decrypting parse
 * untrusted bytes, so they cost that child, under a time limit, never the web server or the
 * CLI. The inner file is a private 0600 file in a fresh 0700 folder under
 * `<scratchDir>/.unwrap/`, removed by `release()` on every path; the callers (the restore,
 * the preview, detect, a drill) hold it only as long as they read it. What the restore's
 * scenario table sees is the inner file, so it only ever sees inner types.
 *
 * The keys reach the child on its stdin, never in its arguments (which `ps` shows).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { log } from "../../log.ts";
import { NO_KEYS, type AgeKeys } from "../engine/age-keys.ts";
import { ensurePrivateDir } from "../engine/private-files.ts";
import { sniffWrapping, type UnwrapOutcome } from "../engine/wrapped-files.ts";
import type { UnwrapRefusalCode, Wrapping } from "../vocabulary.ts";
import { runChild } from "./inspect-isolated.ts";

export type UnwrapRequest = {
  /** A private folder with room for the inner file (the backup folder: 0700, on the backups' disk). */
  scratchDir: string;
  /** The cap on what comes out (WIMM_MAX_UPLOAD_MB): a file that inflates past it is refused there. */
  maxBytes: number;
  keys?: AgeKeys;
  timeoutMs: number;
};

export type Unwrapped =
  | { ok: true; file: string; layers: Wrapping[]; release: () => void }
  | { ok: false; code: UnwrapRefusalCode; note: string; layers: Wrapping[] };

/** WIMM_MAX_UPLOAD_MB's default, for callers that name no cap. */
export const DEFAULT_MAX_UNWRAPPED_BYTES = 2048 * 1024 * 1024;

/** A folder left by a process that was killed mid-unwrap is removed after this long. */
const STALE_MS = 24 * 60 * 60 * 1000;

/**
 * The inner file of `file`, or `file` itself when it is not wrapped (then `release` does
 * nothing). A refusal leaves nothing behind.
 */
export async function unwrapIsolated(file: string, request: UnwrapRequest): Promise<Unwrapped> {
  const outer = sniffWrapping(file);
  if (!outer) return { ok: true, file, layers: [], release: () => undefined };
  const keys = request.keys ?? NO_KEYS;
  if (outer === "age" && keys.identities.length === 0 && keys.passphrases.length === 0)
    return {
      ok: false,
      code: "ENCRYPTED_NEEDS_KEY",
      note: "no key given",
      layers: ["age"],
    };
  const root = ensurePrivateDir(join(request.scratchDir, ".unwrap"));
  removeStale(root);
  const dir = mkdtempSync(join(root, "u-")); // 0700
  const release = () => rmSync(dir, { recursive: true, force: true });
  const out = join(dir, "inner");
  let outcome: UnwrapOutcome;
  try {
    const r = await runChild<UnwrapOutcome>(
      file,
      ["unwrap", "--out", out, "--max-bytes", String(request.maxBytes)],
      request.timeoutMs,
      undefined,
      JSON.stringify(keys),
    );
    outcome = r.ok ? r.value : { ok: false, code: "UNWRAP_FAILED", note: r.details, layers: [outer] };
  } catch (error) {
    release();
    throw error;
  }
  if (!outcome.ok) {
    release();
    log("UNWRAP", `${basename(file)} refused: ${outcome.code} — ${outcome.note}`);
    return outcome;
  }
  log(
    "UNWRAP",
    `${basename(file)}: ${outcome.layers.join(" + ")} opened, ${outcome.bytes} bytes in a private temp file`,
  );
  return { ok: true, file: out, layers: outcome.layers, release };
}

/** `read` on the inner file of `file`, released afterwards whatever happens. */
export async function withUnwrapped<T>(
  file: string,
  request: UnwrapRequest,
  read: (inner: string, layers: Wrapping[]) => Promise<T>,
  refused: (refusal: Extract<Unwrapped, { ok: false }>) => T | Promise<T>,
): Promise<T> {
  const unwrapped = await unwrapIsolated(file, request);
  if (!unwrapped.ok) return refused(unwrapped);
  try {
    return await read(unwrapped.file, unwrapped.layers);
  } finally {
    unwrapped.release();
  }
}

function removeStale(root: string): void {
  try {
    for (const name of readdirSync(root)) {
      const path = join(root, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    }
  } catch {
    /* a sweep that fails changes nothing */
  }
}
