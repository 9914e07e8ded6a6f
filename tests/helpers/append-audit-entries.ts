/**
 * A child process that appends to an audit trail, for the tests of concurrent appenders:
 * `node --import tsx tests/helpers/append-audit-entries.ts DIR COUNT ACTOR`. It says
 * "ready" on stdout and waits for a line on stdin, so the test can start several at the
 * same moment; it exits 1 at the first append that fails.
 */
import { once } from "node:events";
import { appendAuditEntry } from "../../lib/backup-restore/audit/audit-trail.ts";

const [dir, count, actor] = process.argv.slice(2);
if (!dir || !count || !actor) throw new Error("usage: append-audit-entries.ts DIR COUNT ACTOR");

process.stdout.write("ready\n");
await once(process.stdin, "data");
for (let i = 1; i <= Number(count); i++) {
  const result = appendAuditEntry(dir, { actor, action: "backup", result: "ok", details: `${actor} #${i}` });
  if (!result.ok) {
    console.error(`${result.code}: ${result.message}`);
    process.exit(1);
  }
}
process.exit(0);
