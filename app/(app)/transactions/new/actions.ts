"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";

import { getDb } from "@/lib/db/live";
import { createTransaction } from "@/lib/finance/create-transaction";
import { log } from "@/lib/log";
import { requireUser } from "@/lib/web/auth";
import { RESTORE_IN_PROGRESS_MESSAGE, RestoreInProgressError, withWriteGate } from "@/lib/web/maintenance";
import { TransactionFormSchema, type TransactionFormState, readTransactionForm } from "./transaction-schema";

export async function addTransaction(
  _prevState: TransactionFormState,
  formData: FormData,
): Promise<TransactionFormState> {
  const user = await requireUser();

  const values = readTransactionForm(formData);
  const parsed = TransactionFormSchema.safeParse(values);
  if (!parsed.success) {
    return {
      errors: z.flattenError(parsed.error).fieldErrors,
      message: "Some fields need attention. The transaction was not added.",
      values,
    };
  }

  let result;
  try {
    result = await withWriteGate(async () =>
      createTransaction(await getDb(), {
        familyId: user.familyId,
        userId: user.id,
        accountId: parsed.data.accountId,
        categoryId: parsed.data.categoryId,
        amountCents: parsed.data.amount,
        description: parsed.data.description,
        date: parsed.data.date,
      }),
    );
  } catch (error) {
    if (error instanceof RestoreInProgressError) return { message: RESTORE_IN_PROGRESS_MESSAGE, values };
    log("WEB", `adding a transaction failed: ${error instanceof Error ? error.message : String(error)}`);
    return { message: "The transaction could not be saved. Please try again.", values };
  }
  if (!result.ok) {
    return result.reason === "ACCOUNT_NOT_FOUND"
      ? { errors: { accountId: ["That account no longer exists. Choose another."] }, values }
      : { errors: { categoryId: ["That category no longer exists. Choose another."] }, values };
  }

  revalidatePath("/");
  revalidatePath("/transactions");
  redirect("/");
}
