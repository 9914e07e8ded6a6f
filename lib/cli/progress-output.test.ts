import { describe, expect, it } from "vitest";
import { UsageError } from "./command.ts";
import { describeProgress, progressMode } from "./progress-output.ts";

describe("progress on the command line", () => {
  it("shows the terminal line on a terminal only, unless told", () => {
    expect(progressMode(undefined, true)).toBe("terminal");
    expect(progressMode(undefined, false)).toBe("off");
    expect(progressMode("json", true)).toBe("json");
    expect(progressMode("off", true)).toBe("off");
    expect(() => progressMode("yes", false)).toThrow(UsageError);
  });

  it("says the phase, and for the copy the rows and the share", () => {
    expect(describeProgress({ phase: "validate", done: 0, total: null })).toBe("validate…");
    expect(describeProgress({ phase: "copy", done: 120_000, total: 200_019 })).toBe(
      "copy: 120,000 of 200,019 rows (59 %)",
    );
    expect(describeProgress({ phase: "indexes", done: 1, total: 1 })).toBe("indexes: done");
    expect(describeProgress({ phase: "copy", done: 0, total: 0 })).toBe("copy: 0 of 0 rows (100 %)");
  });
});
