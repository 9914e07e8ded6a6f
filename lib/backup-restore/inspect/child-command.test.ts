import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { inspectChildArgs } from "./child-command.ts";

describe("inspectChildArgs", () => {
  const root = mkdtempSync(join(tmpdir(), "wimm-child-command-"));
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("runs the TypeScript source through tsx from the sources (vitest, next dev), even beside a build", () => {
    mkdirSync(join(root, "build", "cli"), { recursive: true });
    writeFileSync(join(root, "build", "cli", "inspect-child.mjs"), "");
    vi.stubEnv("NODE_ENV", "test");
    expect(inspectChildArgs(root)).toEqual([
      "--no-warnings=ExperimentalWarning",
      "--import",
      `file://${join(root, "node_modules", "tsx", "dist", "loader.mjs")}`,
      join(root, "lib", "backup-restore", "inspect", "inspect-child.ts"),
    ]);
  });

  it("runs the compiled child in the built web app, and the source, said once, when it is missing", () => {
    vi.stubEnv("NODE_ENV", "production");
    expect(inspectChildArgs(root)).toEqual([join(root, "build", "cli", "inspect-child.mjs")]);
    rmSync(join(root, "build"), { recursive: true });
    vi.stubEnv("WIMM_QUIET", "");
    const said = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(inspectChildArgs(root).at(-1)).toBe(join(root, "lib", "backup-restore", "inspect", "inspect-child.ts"));
    expect(inspectChildArgs(root).at(-1)).toBe(join(root, "lib", "backup-restore", "inspect", "inspect-child.ts"));
    expect(said.mock.calls.map((c) => String(c[0]))).toEqual([
      "[VALIDATE] build/cli/inspect-child.mjs is missing (run npm run build): running the child from its source",
    ]);
    rmSync(root, { recursive: true, force: true });
  });
});
