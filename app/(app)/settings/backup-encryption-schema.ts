import { z } from "zod";

/**
 * An age X25519 recipient (`age1` and 58 bech32 characters), the kind both this app and
 * Debian's `age` tool read; the core checks it again by parsing it (recipients.ts).
 */
export const RecipientSchema = z
  .string()
  .trim()
  .min(1, "recipientRequired")
  .regex(/^age1[02-9ac-hj-np-z]{58}$/, "recipientInvalid");

export const AddRecipientSchema = z.object({ recipient: RecipientSchema });

export const RemoveRecipientSchema = z.object({ recipient: RecipientSchema });

/** What the browser reports after trying a key on the newest encrypted backup (the key itself never leaves it). */
export const KeyCheckSchema = z.object({
  file: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+\.age$/)
    .max(200),
  recipient: RecipientSchema,
  ok: z.boolean(),
});

export type RecipientErrorKey = "recipientRequired" | "recipientInvalid" | "recipientDuplicate";

export type AddRecipientState = {
  errors?: { recipient?: string[] };
  recipient?: string;
  savedAt?: number;
};
