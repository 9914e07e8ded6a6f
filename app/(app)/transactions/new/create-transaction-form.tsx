"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/form-message";
import type { Option } from "@/lib/finance/list-form-options";
import { TransactionFields } from "../transaction-fields";
import { addTransaction } from "./actions";
import type { TransactionFormState } from "./transaction-schema";

export function CreateTransactionForm({
  accounts,
  categories,
  today,
}: {
  accounts: Option[];
  categories: Option[];
  today: string;
}) {
  const t = useTranslations("TransactionForm");
  const initialState: TransactionFormState = { message: null, errors: {} };
  const [state, formAction, pending] = useActionState(addTransaction, initialState);
  const errors = state.errors ?? {};
  const values = state.values;

  return (
    // React resets a form after its action; keying it on the returned values re-renders it
    // with what was typed, so a refused form keeps its input.
    <form key={JSON.stringify(values ?? null)} action={formAction} className="grid gap-5" noValidate>
      <TransactionFields
        accounts={accounts}
        categories={categories}
        errors={errors}
        values={
          values ?? { accountId: accounts.length === 1 ? String(accounts[0]?.id) : "", categoryId: "", date: today }
        }
      />

      <FormMessage id="form-error" message={state.message} />

      <div className="flex justify-end">
        <Button type="submit" disabled={pending} aria-disabled={pending} className="w-full sm:w-auto">
          {pending ? t("adding") : t("add")}
        </Button>
      </div>
    </form>
  );
}
