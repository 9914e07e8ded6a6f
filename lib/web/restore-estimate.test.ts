import { describe, expect, it } from "vitest";
import { estimateRestore } from "./restore-estimate.ts";

describe("estimateRestore", () => {
  it("moves one bar forward through the phases, never back", () => {
    const steps = [
      estimateRestore({ phase: "validate", done: 0, total: null }, {}, 0),
      estimateRestore({ phase: "validate", done: 1, total: 1 }, {}, 0),
      estimateRestore({ phase: "safety-backup", done: 0, total: null }, {}, 0),
      estimateRestore({ phase: "copy", done: 0, total: 1000 }, { copyStartedAt: 0 }, 0),
      estimateRestore({ phase: "copy", done: 500, total: 1000 }, { copyStartedAt: 0 }, 1000),
      estimateRestore({ phase: "copy", done: 1000, total: 1000 }, { copyStartedAt: 0 }, 2000),
      estimateRestore({ phase: "verify", done: 0, total: null }, { copyStartedAt: 0, copyEndedAt: 2000 }, 2100),
      estimateRestore({ phase: "finish", done: 1, total: 1 }, { copyStartedAt: 0, copyEndedAt: 2000 }, 2900),
    ].map((e) => e.percent);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThanOrEqual(steps[i - 1]!);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(100);
  });

  it("gives no time left before the copy has a rate, then what is left of it and the checks after", () => {
    expect(estimateRestore({ phase: "validate", done: 0, total: null }, {}, 5000).secondsLeft).toBeNull();
    expect(estimateRestore({ phase: "copy", done: 0, total: 100 }, { copyStartedAt: 0 }, 10).secondsLeft).toBeNull();
    // The first small tables are no rate: 4 rows of 200,020 after 50 ms.
    expect(
      estimateRestore({ phase: "copy", done: 4, total: 200_020 }, { copyStartedAt: 0 }, 50).secondsLeft,
    ).toBeNull();
    // A quarter copied in 3 s: 9 s of copy left, and a third of the copy's 12 s after it.
    const quarter = estimateRestore({ phase: "copy", done: 25, total: 100 }, { copyStartedAt: 0 }, 3000);
    expect(quarter.secondsLeft).toBe(13);
    const after = estimateRestore(
      { phase: "indexes", done: 0, total: null },
      { copyStartedAt: 0, copyEndedAt: 12_000 },
      13_000,
    );
    expect(after.secondsLeft).toBe(3);
  });
});
