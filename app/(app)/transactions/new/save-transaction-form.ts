import "server-only";
import { getTranslations } from "next-intl/server";
import { z } from "zod";

import type { Db } from "@/lib/db/client";
import { getDb } from "@/lib/app/live-database";
import { writeThroughGate } from "@/lib/web/maintenance";
import {
  TransactionFormSchema,
  type TransactionFormState,
  readTransactionForm,
  translateTransactionErrors,
} from "./transaction-schema";

export type TransactionFormData = z.output<typeof TransactionFormSchema>;

type WriteResult =
  { ok: true } | { ok: false; reason: "TRANSACTION_NOT_FOUND" | "ACCOUNT_NOT_FOUND" | "CATEGORY_NOT_FOUND" };

/**
 * The middle of the add and edit actions: read and validate the form, write through the
 * write gate, and turn every refusal into the form's state (errors beside the fields, the
 * typed values kept). Null when the write went through; the action then revalidates and
 * redirects. The caller has already checked the session.
 */
export async function saveTransactionForm(
  formData: FormData,
  options: {
    /** The form-level message when fields are refused. */
    notSaved: "notAdded" | "notChanged";
    /** For the log: "adding", "editing". */
    doing: string;
    write: (db: Db, data: TransactionFormData) => Promise<WriteResult>;
  },
): Promise<TransactionFormState | null> {
  const t = await getTranslations();
  const values = readTransactionForm(formData);
  const parsed = TransactionFormSchema.safeParse(values);
  if (!parsed.success) {
    return {
      errors: translateTransactionErrors(z.flattenError(parsed.error).fieldErrors, t),
      message: t(`TransactionForm.${options.notSaved}`),
      values,
    };
  }

  const written = await writeThroughGate(async () => options.write(await getDb(), parsed.data), {
    doing: `${options.doing} a transaction`,
    message: t("TransactionForm.saveFailed"),
  });
  if (!written.ok) return { message: written.message, values };
  const result = written.value;
  if (result.ok) return null;
  switch (result.reason) {
    case "TRANSACTION_NOT_FOUND":
      return { message: t("TransactionForm.gone"), values };
    case "ACCOUNT_NOT_FOUND":
      return { errors: { accountId: [t("TransactionForm.errors.accountGone")] }, values };
    case "CATEGORY_NOT_FOUND":
      return { errors: { categoryId: [t("TransactionForm.errors.categoryGone")] }, values };
  }
}
