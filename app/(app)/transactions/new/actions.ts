"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";

import { createTransaction } from "@/lib/finance/create-transaction";
import { requireUser } from "@/lib/web/auth";
import { saveTransactionForm } from "./save-transaction-form";
import type { TransactionFormState } from "./transaction-schema";

export async function addTransaction(
  _prevState: TransactionFormState,
  formData: FormData,
): Promise<TransactionFormState> {
  const user = await requireUser();
  const refused = await saveTransactionForm(formData, {
    notSaved: "notAdded",
    doing: "adding",
    write: (db, data) =>
      createTransaction(db, {
        familyId: user.familyId,
        userId: user.id,
        accountId: data.accountId,
        categoryId: data.categoryId,
        amountCents: data.amount,
        description: data.description,
        date: data.date,
      }),
  });
  if (refused) return refused;

  revalidatePath("/");
  revalidatePath("/transactions");
  redirect("/");
}
