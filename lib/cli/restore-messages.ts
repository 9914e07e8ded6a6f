/**
 * Reason codes → what the user reads. The texts live with the app's other translations
 * (`lib/i18n/messages/<locale>/settings.json`, "RestoreErrors.codes"); the CLI and the logs
 * use the English ones from here, the web page translates the code. Raw driver messages go to
 * the log, and to `details` only when they help the user act.
 */
import en from "../i18n/messages/en/settings.json" with { type: "json" };
import type { RefusalCode } from "../backup-restore/vocabulary.ts";

// Typed against the union: a code without an English text is a compile error.
export const REFUSALS: Record<RefusalCode, { error: string; details: string }> = en.RestoreErrors.codes;

export const NEEDS_MIGRATION_MESSAGE = en.BackupRestore.migrateText;
