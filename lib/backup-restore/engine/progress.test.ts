import { describe, expect, it } from "vitest";
import type { ProgressEvent } from "../vocabulary.ts";
import { RestoreProgress, rowsToCopy } from "./progress.ts";

function record() {
  const events: ProgressEvent[] = [];
  return { events, progress: new RestoreProgress((e) => events.push(e)) };
}

describe("RestoreProgress", () => {
  it("ends each phase at its total and never goes back to one passed", () => {
    const { events, progress } = record();
    progress.enter("validate");
    progress.enter("copy", 10);
    progress.advance(4);
    progress.advance(6);
    progress.enter("verify");
    progress.enter("copy", 99); // the loader's word after the spine's: ignored
    progress.enter("verify");
    progress.enter("finish");
    progress.end();
    const ends = events.filter((e) => e.done === e.total);
    expect(ends.map((e) => e.phase)).toEqual(["validate", "copy", "verify", "finish"]);
    expect(events.filter((e) => e.phase === "copy").at(-1)).toEqual({ phase: "copy", done: 10, total: 10 });
    expect(events.find((e) => e.phase === "validate")).toEqual({ phase: "validate", done: 0, total: null });
    expect(events.some((e) => e.total === 99)).toBe(false);
  });

  it("grows a total that was too small instead of letting done pass it", () => {
    const { events, progress } = record();
    progress.enter("copy", 5);
    progress.advance(8);
    progress.end();
    for (const e of events) if (e.total !== null) expect(e.done).toBeLessThanOrEqual(e.total);
    expect(events.at(-1)).toEqual({ phase: "copy", done: 8, total: 8 });
  });

  it("leaves the failed phase unended when a rollback starts", () => {
    const { events, progress } = record();
    progress.enter("copy", 100);
    progress.advance(30);
    progress.enter("rollback");
    expect(events.filter((e) => e.phase === "copy").every((e) => e.done < 100)).toBe(true);
    expect(events.at(-1)).toEqual({ phase: "rollback", done: 0, total: null });
  });

  it("counts the rows of the carried tables", () => {
    const expected = { accounts: { rows: 3 }, transactions: { rows: 40 }, sessions: { rows: 7 } };
    expect(rowsToCopy(expected, new Set(["sessions"]))).toBe(43);
  });
});
