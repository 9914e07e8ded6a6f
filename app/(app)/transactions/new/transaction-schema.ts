import { z } from "zod";

import { MESSAGES, type Messages } from "@/lib/i18n/messages";
import { parseAmountToCents } from "@/lib/money";
import { translateFieldErrors } from "@/lib/web/field-errors";
import { formText } from "@/lib/web/form-data";

/** The keys of `TransactionForm.errors` in the messages: what the schema's messages are. */
export type TransactionErrorKey = keyof Messages["TransactionForm"]["errors"];
const key = (k: TransactionErrorKey) => k;

const id = z.coerce.number().int().positive();

/**
 * The add/edit form, as posted: every value is a string until parsed here. Its messages are
 * keys of `TransactionForm.errors`; the actions translate them (translateFieldErrors).
 */
export const TransactionFormSchema = z.object({
  accountId: z.string({ error: key("accountRequired") }).transform((v, ctx) => {
    const parsed = id.safeParse(v);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: key("accountRequired") });
      return z.NEVER;
    }
    return parsed.data;
  }),
  categoryId: z.string({ error: key("categoryInvalid") }).transform((v, ctx) => {
    if (v === "") return null;
    const parsed = id.safeParse(v);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: key("categoryInvalid") });
      return z.NEVER;
    }
    return parsed.data;
  }),
  amount: z
    .string({ error: key("amountRequired") })
    .trim()
    .min(1, key("amountRequired"))
    .transform((v, ctx) => {
      const cents = parseAmountToCents(v);
      if (cents === null) {
        ctx.addIssue({ code: "custom", message: key("amountInvalid") });
        return z.NEVER;
      }
      if (cents === 0n) {
        ctx.addIssue({ code: "custom", message: key("amountZero") });
        return z.NEVER;
      }
      return cents;
    }),
  description: z
    .string({ error: key("descriptionRequired") })
    .trim()
    .min(1, key("descriptionRequired"))
    .max(200, key("descriptionTooLong")),
  date: z
    .string({ error: key("dateRequired") })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: key("dateRequired"), abort: true })
    .refine(isRealDate, key("dateInvalid")),
});

function isRealDate(value: string): boolean {
  const date = new Date(`${value}T12:00:00.000Z`);
  const year = date.getUTCFullYear();
  // Rejects 2026-02-30, which Date would roll over to March.
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value && year >= 1900 && year <= 2999;
}

export type TransactionFormValues = {
  accountId: string;
  categoryId: string;
  amount: string;
  description: string;
  date: string;
};

export type TransactionFormState = {
  errors?: Partial<Record<keyof TransactionFormValues, string[]>>;
  message?: string | null;
  /** What was typed, sent back so a refused form keeps its values. */
  values?: TransactionFormValues;
};

/** The add/edit form's fields as posted, unparsed (the edit and add actions share them). */
export function readTransactionForm(formData: FormData): TransactionFormValues {
  return {
    accountId: formText(formData, "accountId"),
    categoryId: formText(formData, "categoryId"),
    amount: formText(formData, "amount"),
    description: formText(formData, "description"),
    date: formText(formData, "date"),
  };
}

/** The schema's field errors (message keys) in the user's language. */
export function translateTransactionErrors(
  fieldErrors: Partial<Record<keyof TransactionFormValues, string[]>>,
  t: (key: `TransactionForm.errors.${TransactionErrorKey}`) => string,
): NonNullable<TransactionFormState["errors"]> {
  return translateFieldErrors(fieldErrors, MESSAGES.en.TransactionForm.errors, (k) => t(`TransactionForm.errors.${k}`));
}
