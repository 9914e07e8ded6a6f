/**
 * The recovery kit the settings page offers is itself an age identity file: Debian's `age`
 * tool opens a backup encrypted to the kit's public key with the kit as it was downloaded,
 * and the page's "try the key" reads the key out of it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { afterAll, describe, expect, it } from "vitest";
import { identityFromText, recoveryKitText } from "../app/(app)/settings/recovery-kit.ts";

const work = mkdtempSync(join(tmpdir(), "wimm-kit-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("recovery kit", () => {
  it("opens, with the age tool, a file encrypted to its public key", async () => {
    const identity = await generateX25519Identity();
    const recipient = await identityToRecipient(identity);
    const kit = recoveryKitText({ identity, recipient, family: "Família Silva", created: "7 Dec 2026, 21:00 BRT" });
    expect(kit).toContain("[English]");
    expect(kit).toContain("[Português]");
    expect(kit).toContain(recipient);
    const kitFile = join(work, "wimm-recovery-kit.txt");
    writeFileSync(kitFile, kit);
    const secret = Buffer.from("SQLite format 3\0 the family's money");
    const encrypted = execFileSync("age", ["-r", recipient], { input: secret });
    const decrypted = execFileSync("age", ["-d", "-i", kitFile], { input: encrypted });
    expect(decrypted.equals(secret)).toBe(true);
    expect(identityFromText(kit)).toBe(identity);
  });

  it("finds the key in a pasted line or an age-keygen file, and nothing in other text", () => {
    const key = "AGE-SECRET-KEY-1" + "Q".repeat(58);
    expect(identityFromText(`  ${key}  `)).toBe(key);
    expect(identityFromText(`# created: 2026-12-07\n# public key: age1xyz\n${key}\n`)).toBe(key);
    expect(identityFromText("age1" + "q".repeat(58))).toBeNull();
    expect(identityFromText("")).toBeNull();
    expect(identityFromText(`# ${key}`)).toBeNull();
  });
});
