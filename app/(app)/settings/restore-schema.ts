import { z } from "zod";

/**
 * The key of an encrypted backup, as the admin gave it: a private key, a recovery kit's text,
 * or a passphrase (lib/web/restore-files.ts keysFromText). Sent with each step that reads the
 * backup, never kept by the server.
 */
const BackupKey = z.string().max(20_000).optional();

export const RestoreRequestSchema = z.object({
  uploadId: z.uuid(),
  confirmMigration: z.boolean(),
  key: BackupKey,
});

/** A backup of the catalogue, by its name in the backup folder (never a path). */
export const RestoreCatalogueRequestSchema = z.object({
  file: z.string().min(1).max(200),
  confirmMigration: z.boolean(),
  key: BackupKey,
});

export const DiscardUploadSchema = z.object({ uploadId: z.uuid() });

/** Before the confirmation: what a restore of the upload, or of the catalogue's file, would do. */
export const PreviewUploadSchema = z.object({ uploadId: z.uuid(), key: BackupKey });
export const PreviewCatalogueSchema = z.object({ file: z.string().min(1).max(200), key: BackupKey });

/** The CSV of what a restore would take away: of an upload, or of a backup of the catalogue. */
export const LostTransactionsQuerySchema = z.union([
  z.object({ upload: z.uuid(), file: z.undefined() }),
  z.object({ file: z.string().min(1).max(200), upload: z.undefined() }),
]);

type SideBySide<T> = { backup: T; live: T };
type Counts = { transactions: number; accounts: number; users: number };

/**
 * The preview as the dialog shows it, every number, amount and moment already written in the
 * user's language on the server (the family's currency and time zone), so the browser only
 * places strings.
 */
export type RestorePreviewView = {
  family: string;
  users: { username: string; role: string }[];
  schemaVersion: number;
  /** An older backup: the schema it is upgraded from, to this app's. */
  upgrade?: { from: number; to: number };
  appVersion?: string;
  createdAt?: string;
  /** Row counts per table; null on a side without that table. */
  tables: ({ name: string } & SideBySide<string | null>)[];
  /** Each account's balance as money; null on the side the account does not exist on. */
  accounts: ({ id: number; name: string } & SideBySide<string | null>)[];
  total: SideBySide<string>;
  lost: Counts;
  changed: Counts;
  /** Where the lost and changed transactions download as CSV; null when there are none. */
  csvUrl: string | null;
};

/** `needsKey`: an encrypted backup, and no key (or not its key) was given; the upload is kept for the next try. */
export type PreviewActionResult =
  | { success: true; preview: RestorePreviewView }
  | { success: false; error: string; details: string; needsKey?: boolean };

/** What the restore action answers the page: the core's result, or a refusal of the request itself. */
/**
 * What starting a restore answers at once: the id to follow it by (GET
 * /api/restore/progress?id=…, which answers RestoreRunView<RestoreActionResult>), or a
 * refusal of the request itself.
 */
export type RestoreStartResult =
  { success: true; restoreId: string } | { success: false; error: string; details: string };

/**
 * A restore's outcome as the page shows it. `summary` is the same outcome as plain lines in
 * the admin's language, for the maintenance page that a reload in the middle lands on (it
 * has no React and no translations of its own).
 */
export type RestoreActionResult = (
  | {
      success: true;
      scenario: string;
      family: { name: string };
      users: { username: string; role: string }[];
      /** The accounts restored, each balance checked equal to the backup's. */
      money?: { accounts: number; totalCents: string };
      /** The backup's schema and the app's, when the backup was older and upgraded on the way in. */
      upgraded?: { from: number; to: number };
    }
  | { success: false; needsMigrationConfirmation: true }
  | { success: false; error: string; details: string }
) & { summary?: { title: string; lines: string[]; failed: boolean } };
