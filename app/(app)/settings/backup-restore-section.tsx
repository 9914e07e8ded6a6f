import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { liveTarget } from "@/lib/db/live";
import { getEnv } from "@/lib/env";

import { BackupRestorePanel } from "./backup-restore-panel";

/** The settings page's backup and restore card (admins only: the page checks the role). */
export async function BackupRestoreSection() {
  const env = getEnv();
  const engine = liveTarget().engine;
  return (
    <Card id="backup-restore" aria-labelledby="backup-restore-title">
      <CardHeader>
        <CardTitle>
          <h2 id="backup-restore-title">Backup &amp; Restore</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        <BackupRestorePanel engine={engine} demoMode={env.DEMO_MODE} maxUploadMb={env.WIMM_MAX_UPLOAD_MB} />
      </CardContent>
    </Card>
  );
}
