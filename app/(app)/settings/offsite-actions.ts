"use server";

import { getFormatter, getTranslations } from "next-intl/server";

import { offsiteSettings } from "@/lib/backup-restore/offsite/offsite-remote";
import { fetchRemoteBackup, listRemoteBackups } from "@/lib/backup-restore/offsite/remote-backups";
import { demoModeRefusal } from "@/lib/backup-restore/vocabulary";
import { getEnv } from "@/lib/env";
import { MOMENT_WITH_ZONE } from "@/lib/finance/format-date";
import { log } from "@/lib/log";
import { adminOrNull } from "@/lib/web/auth";

import { FetchOffsiteSchema, type OffsiteCopyView, type OffsiteListResult } from "./offsite-schema";

/**
 * The backups on the off-site remote, read from the remote alone (what a new server would
 * see). Asked for by a click, not on every render of the page: a remote may be slow, or away.
 */
export async function listOffsiteBackups(): Promise<OffsiteListResult> {
  const user = await adminOrNull();
  const t = await getTranslations("OffsiteErrors");
  const tr = await getTranslations("RestoreErrors");
  if (!user) return { ok: false, error: tr("notAllowed") };
  const env = getEnv();
  const offsite = offsiteSettings(env);
  if (!offsite) return { ok: false, error: t("codes.OFFSITE_NOT_CONFIGURED") };
  const listing = await listRemoteBackups(offsite);
  if (!listing.ok) {
    log("OFFSITE", `listing for ${user.username} failed: ${listing.code} ${listing.details}`);
    return { ok: false, error: t(`codes.${listing.code}`) };
  }
  const format = await getFormatter();
  const copies: OffsiteCopyView[] = listing.backups.map((b) => ({
    file: b.file,
    when: format.dateTime(new Date(b.createdAt), MOMENT_WITH_ZONE),
    bytes: b.bytes,
    engine: b.engine,
    encrypted: b.file.endsWith(".age"),
    verified: b.verified,
    readBack: b.readBack,
  }));
  return { ok: true, remote: listing.remote, copies };
}

/**
 * Fetches one off-site copy into a private upload file (size cap, SHA-256 checked against the
 * remote's catalogue when it has a record), for the same preview and restore as a chosen file.
 */
export async function fetchOffsiteBackup(
  input: unknown,
): Promise<{ ok: true; uploadId: string } | { ok: false; error: string; details: string }> {
  const user = await adminOrNull();
  const t = await getTranslations("OffsiteErrors");
  const tr = await getTranslations("RestoreErrors");
  if (!user) return { ok: false, error: tr("notAllowed"), details: tr("notAllowedDetails") };
  const parsed = FetchOffsiteSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: tr("invalidRequest"), details: tr("invalidRequestDetails") };
  const env = getEnv();
  const demo = demoModeRefusal(env.DEMO_MODE, "restore");
  if (demo) return { ok: false, error: tr(`codes.${demo}.error`), details: tr(`codes.${demo}.details`) };
  const offsite = offsiteSettings(env);
  if (!offsite) return { ok: false, error: t("codes.OFFSITE_NOT_CONFIGURED"), details: "" };
  const fetched = await fetchRemoteBackup(offsite, parsed.data.file, {
    dir: env.WIMM_UPLOAD_DIR,
    limitBytes: env.WIMM_MAX_UPLOAD_MB * 1024 * 1024,
  });
  if (!fetched.ok) {
    log("OFFSITE", `${parsed.data.file} not fetched for ${user.username}: ${fetched.code} ${fetched.details}`);
    return { ok: false, error: t(`codes.${fetched.code}`), details: fetched.details };
  }
  log("OFFSITE", `${parsed.data.file} fetched for ${user.username} (${fetched.bytes} bytes)`);
  return { ok: true, uploadId: fetched.id };
}
