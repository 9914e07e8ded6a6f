import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildRestoreContext } from "./restore-context.ts";

const dir = mkdtempSync(join(tmpdir(), "wimm-restore-context-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const limits = { pgDumpTimeoutMs: 300_000, pgRestoreTimeoutMs: 600_000, validateTimeoutMs: 600_000 };
const live = { engine: "sqlite" as const, path: join(dir, "live.sqlite3"), url: `file:${join(dir, "live.sqlite3")}` };

describe("buildRestoreContext's time limits (engine/time-limits.ts)", () => {
  it("a restore of a large backup gets limits for its size; a small one the configured ones", () => {
    const small = join(dir, "small.sqlite3");
    writeFileSync(small, Buffer.alloc(4096));
    expect(buildRestoreContext(small, live, dir, limits)).toMatchObject({
      pgRestoreTimeoutMs: 600_000,
      validateTimeoutMs: 600_000,
      pgDumpTimeoutMs: 300_000,
    });
    // A sparse 3 GiB file: its size is what counts, no disk is used.
    const large = join(dir, "large.dump");
    writeFileSync(large, "");
    truncateSync(large, 3 * 1024 ** 3);
    const ctx = buildRestoreContext(large, live, dir, limits);
    expect(ctx.pgRestoreTimeoutMs).toBe(3072 * 1000);
    expect(ctx.validateTimeoutMs).toBe(3072 * 1000);
  });
});
