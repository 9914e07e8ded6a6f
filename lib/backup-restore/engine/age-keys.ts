/**
 * The keys of the `age` format, as text: recipients (public keys, `age1…`) that backups are
 * encrypted to, and identities (private keys, `AGE-SECRET-KEY-1…`) or passphrases that
 * decrypt them. Only the shapes are checked here, so that lib/env.ts can validate
 * WIMM_BACKUP_RECIPIENTS at start-up without loading any cryptography; the age-encryption
 * package checks each key's checksum when it is used (engine/wrapped-files.ts).
 *
 * Only native X25519 keys are accepted: they are what `age-keygen` writes, and what the `age`
 * command-line tool of Debian 12 (1.1.x) can decrypt; a post-quantum recipient would make a
 * backup that tool cannot open.
 */

/** What a restore may try on an encrypted backup: every identity and passphrase, in turn. */
export type AgeKeys = { identities: string[]; passphrases: string[] };

export const NO_KEYS: AgeKeys = { identities: [], passphrases: [] };

// Bech32's alphabet: `age1` then 58 characters (32 bytes of key and a 6-character checksum).
const RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;
const IDENTITY = /^AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}$/;

export function isAgeRecipient(text: string): boolean {
  return RECIPIENT.test(text);
}

/**
 * `age1…,age1…` (commas, spaces or new lines between) → the recipients, or the first entry
 * that is not one. An empty text is no recipients.
 */
export function parseRecipientList(text: string): { ok: true; recipients: string[] } | { ok: false; bad: string } {
  const recipients = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = recipients.find((r) => !isAgeRecipient(r));
  if (bad !== undefined) return { ok: false, bad: bad.length > 20 ? `${bad.slice(0, 20)}…` : bad };
  return { ok: true, recipients: [...new Set(recipients)] };
}

/**
 * The identities of a key file as `age-keygen` writes it: `AGE-SECRET-KEY-1…` lines, with
 * `#` comments (the creation time, the public key) and blank lines allowed. Anything else
 * is refused, so that a public key or a passphrase given by mistake says so instead of
 * failing later as "wrong key".
 */
export function parseIdentityText(text: string): { ok: true; identities: string[] } | { ok: false; problem: string } {
  const identities: string[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (!IDENTITY.test(line)) {
      const what = isAgeRecipient(line) ? "a public key (age1…), not a private key" : "not an AGE-SECRET-KEY-1… line";
      return { ok: false, problem: `line ${i + 1} is ${what}` };
    }
    identities.push(line);
  }
  if (identities.length === 0) return { ok: false, problem: "it holds no AGE-SECRET-KEY-1… line" };
  return { ok: true, identities };
}

/** A passphrase file: its first line, as `age -p` would read it typed (no trailing new line). */
export function parsePassphraseText(text: string): string | null {
  const first = text.split(/\r?\n/)[0] ?? "";
  return first.length > 0 ? first : null;
}
