import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";

/** The settings page's backup and restore card (admins only: the page checks the role). */
export async function BackupRestoreSection() {
  return (
    <Card id="backup-restore" aria-labelledby="backup-restore-title">
      <CardHeader>
        <CardTitle>
          <h2 id="backup-restore-title">Backup &amp; Restore</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        <p className="text-sm text-muted-foreground">Backup and restore will appear here.</p>
      </CardContent>
    </Card>
  );
}
