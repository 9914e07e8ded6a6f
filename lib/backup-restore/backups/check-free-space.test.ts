import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkFreeSpace, decideFreeSpace, readFreeBytes } from "./check-free-space.ts";

describe("decideFreeSpace: twice the expected size", () => {
  it("is enough at exactly twice, and one byte less is not", () => {
    expect(decideFreeSpace(2_000, 1_000)).toEqual({ ok: true, freeBytes: 2_000 });
    expect(decideFreeSpace(1_999, 1_000)).toEqual({ ok: false, freeBytes: 1_999, neededBytes: 2_000 });
    expect(decideFreeSpace(10 ** 12, 1_000)).toEqual({ ok: true, freeBytes: 10 ** 12 });
  });

  it("is not enough at once the size: the live database must still be able to write", () => {
    expect(decideFreeSpace(1_000, 1_000)).toEqual({ ok: false, freeBytes: 1_000, neededBytes: 2_000 });
  });

  it("rounds a fractional estimate up, and needs nothing for nothing", () => {
    expect(decideFreeSpace(3, 1.5)).toEqual({ ok: true, freeBytes: 3 });
    expect(decideFreeSpace(2, 1.25)).toEqual({ ok: false, freeBytes: 2, neededBytes: 3 });
    expect(decideFreeSpace(0, 0)).toEqual({ ok: true, freeBytes: 0 });
  });

  it("refuses numbers that are not sizes, rather than let a backup through", () => {
    expect(() => decideFreeSpace(1_000, Number.NaN)).toThrow(/expectedBytes/);
    expect(() => decideFreeSpace(Number.NaN, 1)).toThrow(/freeBytes/);
    expect(() => decideFreeSpace(1_000, -1)).toThrow(RangeError);
  });
});

describe("checkFreeSpace on this machine's disk", () => {
  const dir = mkdtempSync(join(tmpdir(), "wimm-free-space-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the free bytes, also for a backup folder not made yet", () => {
    const free = readFreeBytes(dir);
    expect(free).toBeGreaterThan(0);
    expect(Number.isSafeInteger(free)).toBe(true);
    expect(readFreeBytes(join(dir, "not", "made", "yet"))).toBeGreaterThan(0);
    expect(checkFreeSpace(dir, 0)).toMatchObject({ ok: true });
    expect(checkFreeSpace(join(dir, "backups"), Number.MAX_SAFE_INTEGER / 4)).toMatchObject({ ok: false });
  });
});
