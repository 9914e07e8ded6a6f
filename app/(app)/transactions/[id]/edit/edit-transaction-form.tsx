"use client";

import { useActionState, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { Trash2Icon } from "lucide-react";

import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button, buttonVariants } from "@/components/ui/button";
import { FormMessage } from "@/components/form-message";
import type { Option } from "@/lib/finance/list-form-options";
import type { TransactionFormState, TransactionFormValues } from "../../new/transaction-schema";
import { TransactionFields } from "../../transaction-fields";
import { editTransaction, removeTransaction } from "./actions";

export function EditTransactionForm({
  transactionId,
  accounts,
  categories,
  initialValues,
}: {
  transactionId: number;
  accounts: Option[];
  categories: Option[];
  initialValues: TransactionFormValues;
}) {
  const t = useTranslations();
  const initialState: TransactionFormState = { message: null, errors: {} };
  const [state, formAction, pending] = useActionState(editTransaction.bind(null, transactionId), initialState);
  const errors = state.errors ?? {};
  const values = state.values ?? initialValues;

  return (
    <div className="grid gap-6">
      {/* Keyed on the returned values so a refused form shows what was typed (React resets it). */}
      <form key={JSON.stringify(state.values ?? null)} action={formAction} className="grid gap-5" noValidate>
        <TransactionFields accounts={accounts} categories={categories} errors={errors} values={values} />

        <FormMessage id="form-error" message={state.message} />

        <div className="flex justify-end">
          <Button type="submit" disabled={pending} aria-disabled={pending} className="w-full sm:w-auto">
            {pending ? t("Common.saving") : t("TransactionForm.saveChanges")}
          </Button>
        </div>
      </form>

      <DeleteTransactionButton transactionId={transactionId} description={initialValues.description} />
    </div>
  );
}

function DeleteTransactionButton({ transactionId, description }: { transactionId: number; description: string }) {
  const t = useTranslations();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <div className="grid gap-2 border-t pt-5">
      <AlertDialog open={open} onOpenChange={setOpen}>
        <AlertDialogTrigger asChild>
          <Button variant="outline" className="w-full text-destructive sm:w-auto sm:justify-self-start">
            <Trash2Icon aria-hidden="true" />
            {t("EditTransaction.delete")}
          </Button>
        </AlertDialogTrigger>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>{t("EditTransaction.confirmTitle")}</AlertDialogTitle>
            <AlertDialogDescription>{t("EditTransaction.confirmText", { description })}</AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>{t("Common.cancel")}</AlertDialogCancel>
            <AlertDialogAction
              className={buttonVariants({ variant: "destructive" })}
              disabled={pending}
              onClick={(event) => {
                // The dialog stays until the action answers: on success the page moves on.
                event.preventDefault();
                startTransition(async () => {
                  const result = await removeTransaction(transactionId);
                  setOpen(false);
                  setMessage(result.message ?? null);
                });
              }}
            >
              {pending ? t("EditTransaction.deleting") : t("EditTransaction.confirm")}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
      <FormMessage message={message} />
    </div>
  );
}
