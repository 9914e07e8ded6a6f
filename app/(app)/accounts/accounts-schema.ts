import { z } from "zod";

import { MESSAGES, type Messages } from "@/lib/i18n/messages";
import { translateFieldErrors } from "@/lib/web/field-errors";

/** The keys of `Accounts.errors` in the messages: what the schema's messages are. */
export type NameErrorKey = keyof Messages["Accounts"]["errors"];
const key = (k: NameErrorKey) => k;

const id = z.coerce.number().int().positive();

/**
 * Create (no id) or rename an account or category, as posted. A bad kind or id is not the
 * user's doing (hidden fields): the action answers those with "That item does not exist.".
 */
export const NameFormSchema = z.object({
  kind: z.enum(["account", "category"]),
  id: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      const parsed = id.safeParse(v);
      if (!parsed.success) {
        ctx.addIssue({ code: "custom", message: "bad id" });
        return z.NEVER;
      }
      return parsed.data;
    }),
  name: z
    .string({ error: key("nameRequired") })
    .trim()
    .min(1, key("nameRequired"))
    .max(60, key("nameTooLong")),
});

export const ArchiveFormSchema = z.object({
  kind: z.enum(["account", "category"]),
  id,
  archived: z.enum(["true", "false"]).transform((v) => v === "true"),
});

export type NameFormState = {
  errors?: { name?: string[] };
  message?: string | null;
  /** Set after a success, so the form can clear itself (create) or say so (rename). */
  savedAt?: number;
  values?: { name: string };
};

export type ArchiveFormState = { message?: string | null };

/** The name field's errors (message keys) in the user's language. */
export function translateNameErrors(
  fieldErrors: { name?: string[] },
  t: (key: `Accounts.errors.${NameErrorKey}`) => string,
): NonNullable<NameFormState["errors"]> {
  return translateFieldErrors(fieldErrors, MESSAGES.en.Accounts.errors, (k) => t(`Accounts.errors.${k}`));
}
