/**
 * Retention off-site: what plan-retention.ts prunes in the backup folder is deleted on the
 * remote too — the copies its record says were made on this remote, and its catalogue record
 * there. The plan is the local one, so the same rules hold off-site: the newest verified
 * backup and recent safety backups are never in it.
 */
import { log } from "../../log.ts";
import { appendAuditEntry } from "../audit/audit-trail.ts";
import type { CatalogueEntry } from "../backups/catalogue.ts";
import { redactRemote, remoteFile, type OffsiteSettings } from "./offsite-remote.ts";
import { runRclone } from "./rclone.ts";

export type OffsiteDeletion = { ok: true; deleted: string[] } | { ok: false; deleted: string[]; details: string };

export async function deleteOffsiteCopies(
  settings: OffsiteSettings,
  entry: Pick<CatalogueEntry, "file" | "offsite">,
): Promise<OffsiteDeletion> {
  const remote = redactRemote(settings.remote);
  // Only what was sent to this remote: a record of an earlier remote names files this one never had.
  const names = [...new Set((entry.offsite ?? []).filter((o) => o.remote === remote).map((o) => o.file))];
  if (!names.length) return { ok: true, deleted: [] };
  const deleted: string[] = [];
  const problems: string[] = [];
  for (const path of [...names, `.catalogue/${entry.file}.json`]) {
    const r = await runRclone(settings.remote, ["deletefile", remoteFile(settings.remote, path)], {
      timeoutMs: settings.timeoutMs,
    });
    // Already gone (a copy whose read-back failed was deleted then) is what was wanted.
    if (r.ok || r.notFound) deleted.push(path);
    else problems.push(`${path}: ${r.details}`);
  }
  return problems.length ? { ok: false, deleted, details: problems.join("; ") } : { ok: true, deleted };
}

/**
 * After retention deleted a backup locally: its off-site copies go too, recorded in the audit
 * trail. A remote that cannot delete is logged and recorded, never a reason to stop pruning.
 */
export async function pruneOffsite(
  dir: string,
  settings: OffsiteSettings,
  entry: Pick<CatalogueEntry, "file" | "offsite">,
  actor: string,
): Promise<OffsiteDeletion> {
  const outcome = await deleteOffsiteCopies(settings, entry);
  if (!outcome.ok || outcome.deleted.length) {
    const remote = redactRemote(settings.remote);
    const details = outcome.ok ? `deleted from ${remote}` : `not deleted from ${remote}: ${outcome.details}`;
    log("OFFSITE", `${entry.file}: ${details}`);
    appendAuditEntry(dir, { actor, action: "prune", result: outcome.ok ? "ok" : "failed", file: entry.file, details });
  }
  return outcome;
}
