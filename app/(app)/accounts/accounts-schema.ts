import { z } from "zod";

const id = z.coerce.number().int().positive();

/** Create (no id) or rename an account or category, as posted. */
export const NameFormSchema = z.object({
  kind: z.enum(["account", "category"]),
  id: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      const parsed = id.safeParse(v);
      if (!parsed.success) {
        ctx.addIssue({ code: "custom", message: "That item does not exist." });
        return z.NEVER;
      }
      return parsed.data;
    }),
  name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(60, "Keep the name to 60 characters."),
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
