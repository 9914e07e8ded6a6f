/**
 * The import rules of .dependency-cruiser.cjs (run over the real tree by `npm test`) must
 * bite: a small tree laid out like ours, with one planted offence per rule, is cruised with
 * the same configuration, and every rule must name its offender — type-only imports and
 * `@/` paths included.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { REPO_ROOT } from "./helpers/cli.ts";
import { createTempDir } from "./helpers/databases.ts";

const tmp = createTempDir("wimm-import-rules-");
afterAll(() => tmp.cleanup());

function lay(files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tmp.dir, path)), { recursive: true });
    writeFileSync(join(tmp.dir, path), text);
  }
}

it("each rule fails on a planted offence, and a clean tree passes", () => {
  cpSync(join(REPO_ROOT, ".dependency-cruiser.cjs"), join(tmp.dir, ".dependency-cruiser.cjs"));
  lay({
    // A stand-in for the Next.js package, resolved as node_modules/next/… like the real one.
    "node_modules/next/package.json": JSON.stringify({ name: "next", version: "0.0.0" }),
    "node_modules/next/server.js": "export class NextRequest {}\n",
    "tsconfig.json": JSON.stringify({
      compilerOptions: {
        module: "esnext",
        moduleResolution: "bundler",
        allowImportingTsExtensions: true,
        paths: { "@/*": ["./*"] },
      },
    }),
    "app/page.ts": 'import { restore } from "@/lib/backup-restore/spine/restore.ts";\nexport const p = restore;\n',
    "lib/backup-restore/vocabulary.ts": "export type Code = 'X';\n",
    "lib/backup-restore/engine/tool.ts":
      'import type { Code } from "../vocabulary.ts";\nexport const tool = (c: Code) => c;\n',
    "lib/backup-restore/notify/alert.ts": "export const alert = (s: string) => s;\n",
    "lib/backup-restore/scenarios/one.ts": 'import { tool } from "../engine/tool.ts";\nexport const one = tool;\n',
    "lib/backup-restore/spine/restore.ts": 'import { one } from "../scenarios/one.ts";\nexport const restore = one;\n',
    // A type-only cycle: a → b (type) → a.
    "lib/db/a.ts": 'import type { B } from "./b.ts";\nexport type A = { b?: B };\n',
    "lib/db/b.ts": "export type B = { n: number };\n",
  });
  const cruise = () =>
    spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs"),
        "lib",
        "app",
        "--config",
        ".dependency-cruiser.cjs",
      ],
      {
        cwd: tmp.dir,
        encoding: "utf8",
      },
    );
  const clean = cruise();
  expect(clean.status, clean.stdout + clean.stderr).toBe(0);

  lay({
    "lib/db/b.ts": 'import type { A } from "./a.ts";\nexport type B = { a?: A };\n',
    "lib/backup-restore/vocabulary.ts":
      'import type { tool } from "./engine/tool.ts";\nexport type Code = ReturnType<typeof tool>;\n',
    "lib/backup-restore/engine/tool.ts":
      'import type { Code } from "../vocabulary.ts";\nimport type { restore } from "../spine/restore.ts";\nexport const tool = (c: Code) => c;\nexport type R = typeof restore;\n',
    "lib/backup-restore/scenarios/one.ts":
      'import { tool } from "../engine/tool.ts";\nimport type { restore } from "@/lib/backup-restore/spine/restore.ts";\nexport const one = tool;\nexport type R = typeof restore;\n',
    "lib/backup-restore/notify/alert.ts":
      'import type { Code } from "../vocabulary.ts";\nexport const alert = (s: string) => s;\nexport type C = Code;\n',
    "lib/backup-restore/spine/restore.ts":
      'import { one } from "../scenarios/one.ts";\nimport type { NextRequest } from "next/server";\nimport type { p } from "@/app/page.ts";\nexport const restore = one;\nexport type N = NextRequest | typeof p;\n',
  });
  const planted = cruise();
  const out = planted.stdout + planted.stderr;
  expect(planted.status, out).not.toBe(0);
  for (const [rule, offender] of [
    ["no-cycles-in-lib", "lib/db/a.ts"],
    ["lib-not-ui", "lib/backup-restore/spine/restore.ts → app/page.ts"],
    ["wing-knows-no-web", "lib/backup-restore/spine/restore.ts → node_modules/next/"],
    ["wing-leaves-stand-alone", "lib/backup-restore/vocabulary.ts → lib/backup-restore/engine/tool.ts"],
    ["wing-notify-stands-alone", "lib/backup-restore/notify/alert.ts → lib/backup-restore/vocabulary.ts"],
    ["wing-tools-below-scenarios", "lib/backup-restore/engine/tool.ts → lib/backup-restore/spine/restore.ts"],
    ["wing-scenarios-below-spine", "lib/backup-restore/scenarios/one.ts → lib/backup-restore/spine/restore.ts"],
  ]) {
    expect(out, rule).toMatch(new RegExp(`${rule}: ${offender!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  }
});
