import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { getDb, liveTarget } from "@/lib/db/live";
import { getEnv } from "@/lib/env";

import { BackupRestorePanel } from "./backup-restore-panel";

/** The settings page's backup and restore card (admins only: the page checks the role). */
export async function BackupRestoreSection() {
  const env = getEnv();
  const engine = liveTarget().engine;
  // What the last restore (or the recovery of an interrupted one) did, in its own words.
  const last = await (
    await getDb()
  ).event.findFirst({
    where: { OR: [{ kind: "restore" }, { kind: "import" }, { kind: { startsWith: "recovery-" } }] },
    orderBy: { id: "desc" },
  });
  return (
    <Card id="backup-restore" aria-labelledby="backup-restore-title">
      <CardHeader>
        <CardTitle>
          <h2 id="backup-restore-title">Backup &amp; Restore</h2>
        </CardTitle>
      </CardHeader>
      <CardContent className="grid gap-6">
        {last && (
          <p className="text-sm" data-testid="last-restore-event">
            <span className="font-medium">
              {last.kind.startsWith("recovery-") ? "An interrupted restore was recovered" : "Last restore"} (
              {last.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC):
            </span>{" "}
            {last.message}
          </p>
        )}
        <BackupRestorePanel engine={engine} demoMode={env.DEMO_MODE} maxUploadMb={env.WIMM_MAX_UPLOAD_MB} />
      </CardContent>
    </Card>
  );
}
