/**
 * The command line's English, at its own edge: the wing answers reason codes and specifics
 * (lib/backup-restore/vocabulary.ts); this turns them into the `error` / `details` /
 * `message` texts of the CLI's JSON. The texts are the web page's English ones
 * (`lib/i18n/messages/en/settings.json`, "RestoreErrors"), so the two never drift; the web
 * renders the same codes in the user's language.
 */
import en from "../i18n/messages/en/settings.json" with { type: "json" };
import type {
  BackupFailureCode,
  OffsiteFailureCode,
  OffsiteFetchCode,
  RefusalCode,
  RestoreResult,
  Scenario,
} from "../backup-restore/vocabulary.ts";

// Typed against the union: a code without an English text is a compile error.
const REFUSALS: Record<RefusalCode, { error: string; details: string }> = en.RestoreErrors.codes;

const CONFIRM: Partial<Record<Scenario, string>> = {
  "sqlite-to-postgresql": `${en.BackupRestore.migrateText} (Run again with --confirm-migration.)`,
  "json-lines-to-postgresql":
    "This replaces all current PostgreSQL data with the export's: the current data is backed up first, then dropped, and the export is loaded and checked table by table. Run again with --confirm.",
};

/** `{name}` placeholders only: the RestoreErrors texts the CLI uses have no plurals or selects. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const BACKUP_FAILURES: Record<BackupFailureCode, string> = en.BackupErrors.codes;

export function describeBackupFailure(code: BackupFailureCode): string {
  return BACKUP_FAILURES[code];
}

const OFFSITE: Record<OffsiteFailureCode | OffsiteFetchCode, string> = en.OffsiteErrors.codes;

/** An off-site copy's or fetch's code in English. */
export function describeOffsiteFailure(code: OffsiteFailureCode | OffsiteFetchCode): string {
  return OFFSITE[code];
}

type Words = { error: string; details: string };

export function describeRefusal(code: RefusalCode, note?: string, values: Record<string, string> = {}): Words {
  const text = REFUSALS[code];
  const details = fill(text.details, values);
  // The note repeats what the text already names (the versions of NEWER_SCHEMA): left out then.
  return { error: text.error, details: note && !("backup" in values) ? `${details} (${note})` : details };
}

/** The result as the CLI prints it: the core's fields, plus the English words for them. */
export type DescribedResult =
  | Extract<RestoreResult, { success: true }>
  | (Extract<RestoreResult, { needsMigrationConfirmation: true }> & { message: string })
  | (Extract<RestoreResult, { refused: true }> & Words)
  | (Extract<RestoreResult, { rolledBack: boolean }> & Words);

export function describeRestoreResult(result: RestoreResult): DescribedResult {
  if (result.success) return result;
  if ("needsMigrationConfirmation" in result)
    return { ...result, message: CONFIRM[result.scenario] ?? "Run again to confirm." };
  if ("refused" in result) return { ...result, ...describeRefusal(result.code, result.note, result.values) };
  const values = { reason: result.reason, path: result.safetyBackup };
  const t = en.RestoreErrors;
  return result.rolledBack
    ? { ...result, error: t.rolledBack, details: fill(t.rolledBackDetails, values) }
    : { ...result, error: t.rollbackFailed, details: fill(t.rollbackFailedDetails, values) };
}
