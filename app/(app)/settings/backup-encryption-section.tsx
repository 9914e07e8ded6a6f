import { getFormatter, getTranslations } from "next-intl/server";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { listBackups } from "@/lib/backup-restore/backups/catalogue";
import { keyCheckDue, lastKeyCheck } from "@/lib/backup-restore/backups/key-check-status";
import { readBackupRecipients, recipientsSource } from "@/lib/backup-restore/schedule/backup-settings";
import { getEnv } from "@/lib/env";
import { MOMENT_WITH_ZONE } from "@/lib/finance/format-date";

import { BackupEncryptionKeys } from "./backup-encryption-keys";

/**
 * The keys that backups leaving the server are encrypted to, the recovery kit of a new one,
 * and the "do you still have the key?" test with its reminder. Backups kept in the folder
 * stay plaintext (0600, like the database): verification, rollback and drills never need
 * the private key, which the server never has.
 */
export async function BackupEncryptionSection({ family }: { family: string }) {
  const env = getEnv();
  const dir = env.WIMM_BACKUP_DIR;
  const [t, format] = await Promise.all([getTranslations("BackupEncryption"), getFormatter()]);
  const recipients = readBackupRecipients(dir, env);
  const fromEnv = recipients.length > 0 && recipientsSource(dir) === "environment";
  const entries = await listBackups(dir, { timeoutMs: env.WIMM_VALIDATE_TIMEOUT_S * 1000 });
  const newestEncrypted = entries.find((e) => e.encrypted)?.encrypted?.file ?? null;
  const lastCheck = lastKeyCheck(dir);
  const now = new Date();
  const due = keyCheckDue(
    lastCheck,
    { haveKeys: recipients.length > 0, haveEncryptedBackup: newestEncrypted !== null },
    now,
  );
  return (
    <section aria-labelledby="backup-encryption-title" className="grid grid-cols-1 gap-3">
      <h3 id="backup-encryption-title" className="font-medium">
        {t("title")}
      </h3>
      <p className="text-sm text-muted-foreground">{t("intro")}</p>
      {due && (
        <Alert data-testid="key-check-reminder">
          <AlertTitle>{t("reminderTitle")}</AlertTitle>
          <AlertDescription>
            {lastCheck?.ok
              ? t("reminderSince", { when: format.dateTime(new Date(lastCheck.at), MOMENT_WITH_ZONE) })
              : t("reminderNever")}
          </AlertDescription>
        </Alert>
      )}
      {lastCheck?.ok && !due && (
        <p className="text-sm" data-testid="last-key-check">
          {t("lastCheck", { when: format.dateTime(new Date(lastCheck.at), MOMENT_WITH_ZONE), file: lastCheck.file })}
        </p>
      )}
      {fromEnv && <p className="text-sm text-muted-foreground">{t("fromEnv")}</p>}
      <BackupEncryptionKeys
        recipients={recipients}
        family={family}
        createdLabel={format.dateTime(now, MOMENT_WITH_ZONE)}
        newestEncrypted={newestEncrypted}
      />
    </section>
  );
}
