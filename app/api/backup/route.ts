import { createReadStream } from "node:fs";
import { Readable } from "node:stream";

import { getTranslations } from "next-intl/server";

import { BackupError, createBackup } from "@/lib/backup-restore/backups/create-backup";
import { offsiteSettings } from "@/lib/backup-restore/offsite/offsite-remote";
import { readBackupRecipients } from "@/lib/backup-restore/schedule/backup-settings";
import { demoModeRefusal } from "@/lib/backup-restore/vocabulary";
import { ensureLiveDatabase, liveTarget } from "@/lib/app/live-database";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { adminOrRefusal, methodNotAllowed, sameOriginOrRefusal } from "@/lib/web/request-guards";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Creating a backup leaves a file in WIMM_BACKUP_DIR, so it is a write: a GET or HEAD (an
 * `<img src>` on any page, a prefetch, a crawler) creates nothing and is told to POST.
 */
export function GET() {
  return methodNotAllowed("POST");
}

export function HEAD() {
  return methodNotAllowed("POST");
}

/**
 * Download backup: a fresh backup of the live database, also kept in WIMM_BACKUP_DIR. Posted
 * by the settings page's form, and checked like every other write: our own origin first (a
 * page on another port of this host is another origin), then an admin's session.
 */
export async function POST(request: Request) {
  const crossOrigin = sameOriginOrRefusal(request);
  if (crossOrigin) return crossOrigin;
  const auth = await adminOrRefusal();
  if ("response" in auth) return auth.response;
  const env = getEnv();
  const demo = demoModeRefusal(env.DEMO_MODE, "backup");
  if (demo) {
    const t = await getTranslations("RestoreErrors");
    return Response.json({ error: t(`codes.${demo}.error`), details: t(`codes.${demo}.details`) }, { status: 403 });
  }
  // "Encrypted to the family's keys": the download is the .age copy, never the plaintext.
  const form = await request.formData().catch(() => null);
  const encrypt = form?.get("encrypt") === "1";
  const offsite = offsiteSettings(env);
  const recipients = encrypt || offsite ? readBackupRecipients(env.WIMM_BACKUP_DIR, env) : [];
  if (encrypt && recipients.length === 0) {
    const t = await getTranslations("BackupErrors");
    return Response.json({ code: "NO_RECIPIENTS", error: t("noRecipients"), details: "" }, { status: 400 });
  }
  await ensureLiveDatabase();
  try {
    const file = await createBackup(liveTarget(), {
      dir: env.WIMM_BACKUP_DIR,
      trigger: "manual",
      actor: auth.user.username,
      pgDumpTimeoutMs: env.WIMM_PG_DUMP_TIMEOUT_S * 1000,
      // The kept copy goes off-site like any backup by hand (encrypted when there are keys); a
      // failure there is on the catalogue, the download goes on.
      ...(offsite ? { offsite } : {}),
      recipients,
    });
    if (encrypt && !file.encrypted) {
      const t = await getTranslations("BackupErrors");
      return Response.json(
        { code: "BACKUP_WRITE_FAILED", error: t("codes.BACKUP_WRITE_FAILED"), details: file.protectionFailed ?? "" },
        { status: 500 },
      );
    }
    if (file.verified === false) {
      // Kept and marked failed in the catalogue; never handed out as if it were good.
      const t = await getTranslations("BackupErrors");
      return Response.json(
        { code: "BACKUP_CHECK_FAILED", error: t("codes.BACKUP_CHECK_FAILED"), details: file.verification },
        { status: 500 },
      );
    }
    log("BACKUP", `downloaded by ${auth.user.username}: ${file.filename} (verified: ${String(file.verified)})`);
    const sealed = encrypt ? file.encrypted : undefined;
    const sent = sealed
      ? { path: sealed.path, file: sealed.file, bytes: sealed.bytes, sha256: sealed.sha256 }
      : { path: file.path, file: file.filename, bytes: file.bytes, sha256: file.sha256 };
    const body = Readable.toWeb(createReadStream(sent.path)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        "Content-Type":
          !sealed && file.engine === "sqlite" && !file.compressed
            ? "application/vnd.sqlite3"
            : "application/octet-stream",
        "Content-Disposition": `attachment; filename="${sent.file}"`,
        "Content-Length": String(sent.bytes),
        "X-Backup-SHA256": sent.sha256,
        "X-Backup-Verified": String(file.verified),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    if (error instanceof BackupError) {
      const t = await getTranslations("BackupErrors");
      return Response.json(
        { code: error.code, error: t(`codes.${error.code}`), details: error.details },
        { status: 500 },
      );
    }
    throw error;
  }
}
