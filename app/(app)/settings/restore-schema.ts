import { z } from "zod";

export const RestoreRequestSchema = z.object({
  uploadId: z.uuid(),
  confirmMigration: z.boolean(),
});

/** A backup of the catalogue, by its name in the backup folder (never a path). */
export const RestoreCatalogueRequestSchema = z.object({
  file: z.string().min(1).max(200),
  confirmMigration: z.boolean(),
});

export const DiscardUploadSchema = z.object({ uploadId: z.uuid() });

/** What the restore action answers the page: the core's result, or a refusal of the request itself. */
export type RestoreActionResult =
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
  | { success: false; error: string; details: string };
