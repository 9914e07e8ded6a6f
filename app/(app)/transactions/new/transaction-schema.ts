import { z } from "zod";

import { parseAmountToCents } from "@/lib/money";
import { formText } from "@/lib/web/form-data";

const id = z.coerce.number().int().positive();

/** The add-transaction form, as posted: every value is a string until parsed here. */
export const TransactionFormSchema = z.object({
  accountId: z.string().transform((v, ctx) => {
    const parsed = id.safeParse(v);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: "Choose an account." });
      return z.NEVER;
    }
    return parsed.data;
  }),
  categoryId: z.string().transform((v, ctx) => {
    if (v === "") return null;
    const parsed = id.safeParse(v);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: "Choose a category or none." });
      return z.NEVER;
    }
    return parsed.data;
  }),
  amount: z
    .string({ error: "Enter an amount." })
    .trim()
    .min(1, "Enter an amount.")
    .transform((v, ctx) => {
      const cents = parseAmountToCents(v);
      if (cents === null) {
        ctx.addIssue({
          code: "custom",
          message: "Enter an amount like 12.34, -12,34 or 1.234,56 (at most 2 decimals).",
        });
        return z.NEVER;
      }
      if (cents === 0n) {
        ctx.addIssue({ code: "custom", message: "Enter an amount other than zero." });
        return z.NEVER;
      }
      return cents;
    }),
  description: z
    .string({ error: "Enter a description." })
    .trim()
    .min(1, "Enter a description.")
    .max(200, "Keep the description to 200 characters."),
  date: z
    .string({ error: "Enter a date." })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date.")
    .refine(isRealDate, "Enter a real date between 1900 and 2999."),
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
