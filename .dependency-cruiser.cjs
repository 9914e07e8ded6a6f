/**
 * The import rules of the code base, checked by `npm test` (scripts/check-imports.sh runs
 * `depcruise` with this file). docs/ARCHITECTURE.md explains the layers.
 *
 * The backup wing (lib/backup-restore) is layered, from the bottom:
 *   0  vocabulary.ts, faults.ts          the restore vocabulary; test faults and crash points
 *   1  engine/ inspect/ backups/ uploads/ engine tools, inspection of untrusted files,
 *      audit/ notify/ offsite/           creating backups, stored uploads, the audit trail,
 *                                        the admins' failure alerts (which import nothing of the wing),
 *                                        off-site copies through rclone
 *   2  scenarios/                        one module per scenario of the matrix
 *   3  spine/                            the restore entry point, plan, journal, recovery, lock
 *   4  lib/cli, lib/web, app/            the command line and the web adapters
 * A module may import from its own layer and the layers below it, never above.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const WING = "^lib/backup-restore/";
const LEAVES = "^lib/backup-restore/(vocabulary|faults)[.]ts$";
const TOOLS = "^lib/backup-restore/(engine|inspect|backups|uploads|audit|notify|offsite)/";
const NOTIFY = "^lib/backup-restore/notify/";
const SCENARIOS = "^lib/backup-restore/scenarios/";
const SPINE = "^lib/backup-restore/spine/";
const UI = ["^app/", "^components/", "^lib/(web|cli|app|i18n|finance|users|seed)/"];
const NEXT = "^node_modules/(next|next-intl|react|react-dom|server-only|negotiator)/";

module.exports = {
  forbidden: [
    {
      name: "no-cycles-in-lib",
      severity: "error",
      comment: "lib/ has no import cycles, type-only imports included.",
      from: { path: "^lib/" },
      to: { circular: true },
    },
    {
      name: "lib-not-ui",
      severity: "error",
      comment: "lib/ never imports app/ or components/: the pages use lib, not the other way round.",
      from: { path: "^lib/" },
      to: { path: ["^app/", "^components/"] },
    },
    {
      name: "wing-knows-no-web",
      severity: "error",
      comment:
        "The backup wing is shared with ./bin/wimm and the tests: no Next.js, React or next-intl, no UI message files, no web or CLI adapter, no finance or users code.",
      from: { path: WING },
      to: { path: [NEXT, ...UI] },
    },
    {
      name: "wing-leaves-stand-alone",
      severity: "error",
      comment: "The vocabulary and the faults are leaves: they import nothing of the wing.",
      from: { path: LEAVES },
      to: { path: WING },
    },
    {
      name: "wing-notify-stands-alone",
      severity: "error",
      comment:
        "The failure alerts report on the rest of the wing, so they import none of it: a broken backup module cannot silence them.",
      from: { path: NOTIFY },
      to: { path: WING, pathNot: NOTIFY },
    },
    {
      name: "wing-tools-below-scenarios",
      severity: "error",
      comment:
        "Engine tools, inspection, backups, uploads, the audit trail and the alerts sit below the scenarios and the spine.",
      from: { path: TOOLS },
      to: { path: [SCENARIOS, SPINE] },
    },
    {
      name: "wing-scenarios-below-spine",
      severity: "error",
      comment: "A scenario is run by the spine; it never calls up into it.",
      from: { path: SCENARIOS },
      to: { path: SPINE },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^lib/generated/", "^[.]next/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".mjs", ".js", ".json"],
    },
  },
};
