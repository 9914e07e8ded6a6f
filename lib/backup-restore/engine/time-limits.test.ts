import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SLOWEST_BYTES_PER_SECOND, backupBytes, scaleTimeLimit } from "./time-limits.ts";

const dir = mkdtempSync(join(tmpdir(), "wimm-time-limits-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("time limits that grow with the data", () => {
  it("keeps the configured limit for small data and gives big data the time the slowest pace needs", () => {
    expect(scaleTimeLimit(600_000, 10 * 1024 * 1024)).toBe(600_000);
    expect(scaleTimeLimit(600_000, 0)).toBe(600_000);
    expect(scaleTimeLimit(600_000, Number.NaN)).toBe(600_000);
    const fiveGiB = 5 * 1024 ** 3;
    expect(scaleTimeLimit(600_000, fiveGiB)).toBe((fiveGiB / SLOWEST_BYTES_PER_SECOND) * 1000);
    expect(scaleTimeLimit(600_000, fiveGiB)).toBeGreaterThan(80 * 60_000);
  });

  it("a JSON lines folder counts the bytes of its files", () => {
    const folder = join(dir, "export");
    mkdirSync(folder);
    writeFileSync(join(folder, "manifest.json"), "x".repeat(100));
    writeFileSync(join(folder, "transactions.jsonl"), "y".repeat(900));
    expect(backupBytes(folder)).toBe(1000);
    expect(backupBytes(join(dir, "missing"))).toBe(0);
  });
});
