"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";

import { appendAuditEntry } from "@/lib/backup-restore/audit/audit-trail";
import { recordKeyCheck as recordKeyCheckStatus } from "@/lib/backup-restore/backups/key-check-status";
import { readBackupRecipients, saveBackupRecipients } from "@/lib/backup-restore/schedule/backup-settings";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { requireAdmin } from "@/lib/web/auth";

import { AddRecipientSchema, KeyCheckSchema, RemoveRecipientSchema } from "./backup-encryption-schema";

export type RecipientResult = { ok: true } | { ok: false; error: string };

/**
 * Adds a public key that copies leaving the server are encrypted to. Only ever a public key:
 * the page makes key pairs in the browser and keeps the private half out of every request.
 */
export async function addBackupRecipient(input: unknown): Promise<RecipientResult> {
  const user = await requireAdmin();
  const t = await getTranslations("BackupEncryption");
  const parsed = AddRecipientSchema.safeParse(input);
  if (!parsed.success) {
    const key = parsed.error.issues[0]?.message === "recipientRequired" ? "recipientRequired" : "recipientInvalid";
    return { ok: false, error: t(`errors.${key}`) };
  }
  const env = getEnv();
  const dir = env.WIMM_BACKUP_DIR;
  const recipients = readBackupRecipients(dir, env);
  const recipient = parsed.data.recipient;
  if (recipients.includes(recipient)) return { ok: false, error: t("errors.recipientDuplicate") };
  // The list in force (the environment's, until one is saved here) plus this key.
  const saved = saveBackupRecipients(dir, [...recipients, recipient]);
  if (!saved.ok) return { ok: false, error: t("errors.recipientInvalid") };
  appendAuditEntry(dir, { actor: user.username, action: "key", result: "ok", details: `added ${recipient}` });
  log("ENCRYPTION", `recipient ${recipient} added by ${user.username}`);
  revalidatePath("/settings");
  return { ok: true };
}

export async function removeBackupRecipient(input: unknown): Promise<RecipientResult> {
  const user = await requireAdmin();
  const t = await getTranslations("BackupEncryption");
  const parsed = RemoveRecipientSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: t("errors.recipientInvalid") };
  const env = getEnv();
  const dir = env.WIMM_BACKUP_DIR;
  const recipient = parsed.data.recipient;
  const saved = saveBackupRecipients(
    dir,
    readBackupRecipients(dir, env).filter((r) => r !== recipient),
  );
  if (!saved.ok) return { ok: false, error: t("errors.recipientInvalid") };
  appendAuditEntry(dir, { actor: user.username, action: "key", result: "ok", details: `removed ${recipient}` });
  log("ENCRYPTION", `recipient ${recipient} removed by ${user.username}`);
  revalidatePath("/settings");
  return { ok: true };
}

/**
 * Records a test decryption the admin's browser made ("do you still have the key?"). The
 * server only hears the outcome and the key's public half (key-check-status.json, for the
 * reminder; and the audit trail).
 */
export async function recordKeyCheck(input: unknown): Promise<{ ok: boolean }> {
  const user = await requireAdmin();
  const parsed = KeyCheckSchema.safeParse(input);
  if (!parsed.success) return { ok: false };
  const { file, recipient, ok } = parsed.data;
  const dir = getEnv().WIMM_BACKUP_DIR;
  recordKeyCheckStatus(dir, { at: new Date().toISOString(), ok, file, recipient, actor: user.username });
  appendAuditEntry(dir, {
    actor: user.username,
    action: "key-check",
    result: ok ? "ok" : "failed",
    file,
    details: recipient,
  });
  log("ENCRYPTION", `key ${recipient} ${ok ? "opens" : "does not open"} ${file} (tried by ${user.username})`);
  revalidatePath("/settings");
  return { ok: true };
}
