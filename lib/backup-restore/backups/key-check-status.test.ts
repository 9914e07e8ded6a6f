import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keyCheckDue, lastKeyCheck, recordKeyCheck } from "./key-check-status.ts";

const dir = mkdtempSync(join(tmpdir(), "wimm-key-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const recipient = "age1" + "q".repeat(58);

describe("key check status", () => {
  it("keeps the last success against a later failed try, and a later success replaces it", () => {
    expect(lastKeyCheck(dir)).toBeNull();
    const ok = { at: "2026-09-01T10:00:00.000Z", ok: true, file: "a.sqlite3.age", recipient, actor: "admin" };
    recordKeyCheck(dir, ok);
    expect(lastKeyCheck(dir)).toEqual(ok);
    expect(statSync(join(dir, "key-check-status.json")).mode & 0o777).toBe(0o600);
    recordKeyCheck(dir, { ...ok, at: "2026-09-02T10:00:00.000Z", ok: false });
    expect(lastKeyCheck(dir)).toEqual(ok);
    const later = { ...ok, at: "2026-10-01T10:00:00.000Z" };
    recordKeyCheck(dir, later);
    expect(lastKeyCheck(dir)).toEqual(later);
  });

  it("is due after 90 days without a success, only when there are keys and an encrypted backup", () => {
    const last = { at: "2026-09-01T10:00:00.000Z", ok: true, file: "f.age", recipient, actor: "admin" };
    const both = { haveKeys: true, haveEncryptedBackup: true };
    expect(keyCheckDue(last, both, new Date("2026-11-29T10:00:00.000Z"))).toBe(false); // 89 days
    expect(keyCheckDue(last, both, new Date("2026-12-01T10:00:00.000Z"))).toBe(true); // 91 days
    expect(keyCheckDue(null, both)).toBe(true);
    expect(keyCheckDue({ ...last, ok: false }, both, new Date(last.at))).toBe(true);
    expect(keyCheckDue(null, { haveKeys: false, haveEncryptedBackup: true })).toBe(false);
    expect(keyCheckDue(null, { haveKeys: true, haveEncryptedBackup: false })).toBe(false);
  });
});
