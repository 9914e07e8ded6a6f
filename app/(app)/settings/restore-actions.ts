"use server";

import { getFormatter, getLocale, getTranslations } from "next-intl/server";

import { closeDb, ensureLiveDatabase, liveTarget } from "@/lib/app/live-database";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { latestSchemaVersion } from "@/lib/db/migrate";
import { restoreBackup } from "@/lib/backup-restore/spine/restore-backup";
import type { RestorePreview } from "@/lib/backup-restore/spine/preview-restore";
import { restoreLimits } from "@/lib/backup-restore/spine/restore-context";
import { demoModeRefusal, type RefusalCode, type RefusalValues } from "@/lib/backup-restore/vocabulary";
import { findUpload, removeUpload } from "@/lib/backup-restore/uploads/upload-store";
import { MOMENT_WITH_ZONE } from "@/lib/finance/format-date";
import { formatCents } from "@/lib/money";
import { adminOrNull } from "@/lib/web/auth";
import { getCurrentFamily } from "@/lib/web/family";
import { keysFromText, locateBackup, previewBackupFile, type BackupSource } from "@/lib/web/restore-files";
import type { AgeKeys } from "@/lib/backup-restore/engine/age-keys";
import { startRestoreRun } from "@/lib/web/restore-runs";
import type { ProgressSink } from "@/lib/backup-restore/engine/progress";

import {
  DiscardUploadSchema,
  PreviewCatalogueSchema,
  PreviewUploadSchema,
  RestoreCatalogueRequestSchema,
  RestoreRequestSchema,
  type PreviewActionResult,
  type RestoreActionResult,
  type RestorePreviewView,
  type RestoreStartResult,
} from "./restore-schema";

type RestoreErrorsT = Awaited<ReturnType<typeof getTranslations<"RestoreErrors">>>;
type BackupRestoreT = Awaited<ReturnType<typeof getTranslations<"BackupRestore">>>;

/**
 * Step two, before the confirmation: what a restore of the uploaded file would do. A file the
 * restore would refuse is refused here, with the restore's own words, and its upload removed;
 * a readable one stays for the restore the admin may confirm (or is removed by Cancel).
 */
export async function previewUploadedBackup(input: unknown): Promise<PreviewActionResult> {
  const user = await adminOrNull();
  const t = await getTranslations("RestoreErrors");
  if (!user) return { success: false, error: t("notAllowed"), details: t("notAllowedDetails") };
  const parsed = PreviewUploadSchema.safeParse(input);
  if (!parsed.success) return { success: false, error: t("invalidRequest"), details: t("invalidRequestDetails") };
  const env = getEnv();
  const { uploadId } = parsed.data;
  const demo = demoModeRefusal(env.DEMO_MODE, "restore");
  if (demo) {
    removeUpload(env.WIMM_UPLOAD_DIR, uploadId);
    return { success: false, error: t(`codes.${demo}.error`), details: t(`codes.${demo}.details`) };
  }
  const result = await previewSource({ uploadId }, user.familyId, t, keysFromText(parsed.data.key));
  // An encrypted upload waiting for its key stays for the next try (Cancel removes it).
  if (!result.success && !result.needsKey) removeUpload(env.WIMM_UPLOAD_DIR, uploadId);
  return result;
}

/** The same preview for a backup of the catalogue, read where it lies. */
export async function previewCatalogueBackup(input: unknown): Promise<PreviewActionResult> {
  const user = await adminOrNull();
  const t = await getTranslations("RestoreErrors");
  if (!user) return { success: false, error: t("notAllowed"), details: t("notAllowedDetails") };
  const parsed = PreviewCatalogueSchema.safeParse(input);
  if (!parsed.success) return { success: false, error: t("invalidRequest"), details: t("invalidRequestDetails") };
  const demo = demoModeRefusal(getEnv().DEMO_MODE, "restore");
  if (demo) return { success: false, error: t(`codes.${demo}.error`), details: t(`codes.${demo}.details`) };
  return previewSource({ file: parsed.data.file }, user.familyId, t, keysFromText(parsed.data.key));
}

/** The refusals that a key (another key) may lift: the page asks for one and tries again. */
const NEEDS_KEY: readonly RefusalCode[] = ["ENCRYPTED_NEEDS_KEY", "ENCRYPTED_WRONG_KEY"];

async function previewSource(
  source: BackupSource,
  familyId: number,
  t: RestoreErrorsT,
  keys?: AgeKeys,
): Promise<PreviewActionResult> {
  try {
    const located = await locateBackup(source);
    if ("missing" in located) return missingBackup(located.missing, t);
    log("RESTORE", "preview requested");
    const result = await previewBackupFile(located.path, keys);
    // A file this instance would refuse (a dump on SQLite is described all the same) is refused.
    if (!result.ok)
      return {
        success: false,
        ...refusalText(t, result.code, result.details, result.values),
        ...(NEEDS_KEY.includes(result.code) ? { needsKey: true } : {}),
      };
    return { success: true, preview: await previewView(result.preview, source, familyId, keys !== undefined) };
  } catch (error) {
    log("RESTORE", `preview: unexpected error: ${(error as Error).stack ?? String(error)}`);
    return { success: false, error: t("unexpected"), details: t("unexpectedDetails") };
  }
}

/** The core's preview, written for the dialog: amounts in the family's currency, moments in its zone. */
async function previewView(
  p: RestorePreview,
  source: BackupSource,
  familyId: number,
  encrypted: boolean,
): Promise<RestorePreviewView> {
  const [format, locale, family] = await Promise.all([getFormatter(), getLocale(), getCurrentFamily(familyId)]);
  const money = (cents: string | null) => (cents === null ? null : formatCents(BigInt(cents), family.currency, locale));
  const count = (n: number | null) => (n === null ? null : format.number(n));
  const latest = latestSchemaVersion(liveTarget().engine);
  const createdAt = p.createdAt ? new Date(p.createdAt) : null;
  const losses = p.lostTransactionIds.length + p.changedTransactionIds.length;
  const query = "uploadId" in source ? `upload=${source.uploadId}` : `file=${encodeURIComponent(source.file)}`;
  return {
    family: p.family.name,
    users: p.users.map((u) => ({ username: u.username, role: u.role })),
    schemaVersion: p.schemaVersion,
    ...(p.schemaVersion < latest ? { upgrade: { from: p.schemaVersion, to: latest } } : {}),
    ...(p.appVersion ? { appVersion: p.appVersion } : {}),
    ...(createdAt && !Number.isNaN(createdAt.getTime())
      ? { createdAt: format.dateTime(createdAt, MOMENT_WITH_ZONE) }
      : {}),
    tables: Object.entries(p.tables)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, c]) => ({ name, backup: count(c.backup), live: count(c.live) })),
    accounts: p.accounts.map((a) => ({
      id: a.id,
      name: a.name,
      backup: money(a.backupBalanceCents),
      live: money(a.liveBalanceCents),
    })),
    total: { backup: money(p.totalBalanceCents.backup)!, live: money(p.totalBalanceCents.live)! },
    lost: p.lostSinceBackup,
    changed: p.changedSinceBackup,
    // An encrypted backup's CSV would need its key in a link: the counts are shown, not the CSV.
    csvUrl: losses > 0 && !encrypted ? `/api/restore/lost-transactions?${query}` : null,
  };
}

function missingBackup(missing: "upload" | "backup" | "invalid", t: RestoreErrorsT) {
  if (missing === "upload") return { success: false as const, error: t("uploadGone"), details: t("uploadGoneDetails") };
  if (missing === "backup") return { success: false as const, error: t("backupGone"), details: t("backupGoneDetails") };
  return { success: false as const, error: t("invalidRequest"), details: t("invalidRequestDetails") };
}

/**
 * A refusal in the user's language: the text comes from the code; the specifics (a table
 * name, a tool's words, a path) are technical and stay as they are. NEWER_SCHEMA's text names
 * both schema versions itself.
 */
function refusalText(t: RestoreErrorsT, code: RefusalCode, note?: string, values?: RefusalValues) {
  if (values) return { error: t(`codes.${code}.error`), details: t(`codes.${code}.details`, values) };
  const details = t(`codes.${code}.details`);
  return { error: t(`codes.${code}.error`), details: note ? `${details} (${note})` : details };
}

/**
 * Steps two and three of a restore: start it on an uploaded file (and, for a migration,
 * again once confirmed). The restore runs on the server, not in this request: the answer is
 * its id at once, and the page follows it (lib/web/restore-runs.ts).
 */
export async function restoreUploadedBackup(input: unknown): Promise<RestoreStartResult> {
  const user = await adminOrNull();
  const t = await getTranslations("RestoreErrors");
  if (!user) return { success: false, error: t("notAllowed"), details: t("notAllowedDetails") };
  const parsed = RestoreRequestSchema.safeParse(input);
  if (!parsed.success) return { success: false, error: t("invalidRequest"), details: t("invalidRequestDetails") };
  const env = getEnv();
  const { uploadId, confirmMigration } = parsed.data;
  const keys = keysFromText(parsed.data.key);
  const demo = demoModeRefusal(env.DEMO_MODE, "restore");
  if (demo) {
    removeUpload(env.WIMM_UPLOAD_DIR, uploadId);
    return { success: false, error: t(`codes.${demo}.error`), details: t(`codes.${demo}.details`) };
  }
  const file = findUpload(env.WIMM_UPLOAD_DIR, uploadId);
  if (!file) return { success: false, error: t("uploadGone"), details: t("uploadGoneDetails") };
  const texts = { t, tr: await getTranslations("BackupRestore") };
  return started(
    startRestoreRun(async (onProgress) => {
      let keepUpload = false;
      try {
        const result = await restoreFile(file, user.username, confirmMigration, texts, onProgress, keys);
        keepUpload = !result.success && "needsMigrationConfirmation" in result; // the second answer works on the same file
        return result;
      } finally {
        if (!keepUpload) removeUpload(env.WIMM_UPLOAD_DIR, uploadId);
      }
    }, unexpected(texts)),
  );
}

/**
 * The same restore on a backup already in the backup folder, chosen from the catalogue: no
 * upload. The page names the file, never a path; only a file the catalogue lists, by a name
 * the app gives its backups, is taken. It is read where it lies (the restore only reads it),
 * and the safety backup the restore takes first goes beside it.
 */
export async function restoreCatalogueBackup(input: unknown): Promise<RestoreStartResult> {
  const user = await adminOrNull();
  const t = await getTranslations("RestoreErrors");
  if (!user) return { success: false, error: t("notAllowed"), details: t("notAllowedDetails") };
  const parsed = RestoreCatalogueRequestSchema.safeParse(input);
  if (!parsed.success) return { success: false, error: t("invalidRequest"), details: t("invalidRequestDetails") };
  const env = getEnv();
  const demo = demoModeRefusal(env.DEMO_MODE, "restore");
  if (demo) return { success: false, error: t(`codes.${demo}.error`), details: t(`codes.${demo}.details`) };
  const located = await locateBackup({ file: parsed.data.file });
  if ("missing" in located) return missingBackup(located.missing, t);
  const texts = { t, tr: await getTranslations("BackupRestore") };
  const { confirmMigration } = parsed.data;
  const keys = keysFromText(parsed.data.key);
  return started(
    startRestoreRun(
      (onProgress) => restoreFile(located.path, user.username, confirmMigration, texts, onProgress, keys),
      unexpected(texts),
    ),
  );
}

const started = (restoreId: string): RestoreStartResult => ({ success: true, restoreId });

/** The page's texts, taken while the request that started the restore is still here. */
type Texts = { t: RestoreErrorsT; tr: BackupRestoreT };

const unexpected = ({ t }: Texts): RestoreActionResult =>
  withSummary({ success: false, error: t("unexpected"), details: t("unexpectedDetails") }, undefined);

/** Runs the core's restore on a file and puts its outcome in the user's language. */
async function restoreFile(
  file: string,
  actor: string,
  confirmMigration: boolean,
  texts: Texts,
  onProgress: ProgressSink,
  keys?: AgeKeys,
): Promise<RestoreActionResult> {
  const env = getEnv();
  const { t } = texts;
  try {
    await ensureLiveDatabase();
    log("RESTORE", `requested by ${actor}`);
    const result = await restoreBackup({
      file,
      actor,
      live: liveTarget(),
      confirmMigration,
      backupDir: env.WIMM_BACKUP_DIR,
      demoMode: env.DEMO_MODE,
      ...restoreLimits(env),
      closeConnections: closeDb,
      onProgress,
      ...(keys ? { keys } : {}),
    });
    if (result.success) {
      // Every session ended in the database, so this browser's cookie is already worthless.
      // It is not deleted here: the page reads the outcome later, by the restore's id.
      return withSummary(
        {
          success: true,
          scenario: result.scenario,
          family: result.family,
          users: result.users,
          ...(result.money ? { money: result.money } : {}),
          ...(result.upgradedFrom !== undefined
            ? { upgraded: { from: result.upgradedFrom, to: latestSchemaVersion(liveTarget().engine) } }
            : {}),
        },
        texts.tr,
      );
    }
    if ("needsMigrationConfirmation" in result) return { success: false, needsMigrationConfirmation: true };
    // The page speaks the user's language (refusalText).
    if ("refused" in result)
      return withSummary({ success: false, ...refusalText(t, result.code, result.note, result.values) }, texts.tr);
    const values = { reason: result.reason, path: result.safetyBackup };
    return withSummary(
      result.rolledBack
        ? { success: false, error: t("rolledBack"), details: t("rolledBackDetails", values) }
        : { success: false, error: t("rollbackFailed"), details: t("rollbackFailedDetails", values) },
      texts.tr,
    );
  } catch (error) {
    log("RESTORE", `unexpected error: ${(error as Error).stack ?? String(error)}`);
    return unexpected(texts);
  }
}

/** The outcome as plain lines, for the maintenance page (RestoreActionResult's `summary`). */
function withSummary(result: RestoreActionResult, tr: BackupRestoreT | undefined): RestoreActionResult {
  if ("needsMigrationConfirmation" in result) return result;
  if (!result.success) {
    return { ...result, summary: { title: result.error, lines: [result.details], failed: true } };
  }
  if (!tr) return result;
  const lines = [
    `${tr("family")} ${result.family.name}`,
    `${tr("users")} ${result.users.map((u) => `${u.username} (${tr("role", { role: u.role })})`).join(", ")}`,
    ...(result.money ? [tr("moneyEqual", { accounts: result.money.accounts })] : []),
    ...(result.upgraded ? [tr("upgraded", result.upgraded)] : []),
    tr("sessionsEndedSignIn"),
  ];
  return { ...result, summary: { title: tr("successTitle"), lines, failed: false } };
}

/** Cancel: the uploaded file is removed at once. */
export async function discardUpload(input: unknown): Promise<{ ok: true } | { ok: false; error: string }> {
  const user = await adminOrNull();
  const t = await getTranslations("RestoreErrors");
  if (!user) return { ok: false, error: t("notAllowed") };
  const parsed = DiscardUploadSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: t("invalidRequest") };
  removeUpload(getEnv().WIMM_UPLOAD_DIR, parsed.data.uploadId);
  return { ok: true };
}
