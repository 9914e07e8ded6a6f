"use client";

import { useActionState, useState, useTransition } from "react";
import { CircleAlertIcon, Trash2Icon } from "lucide-react";

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
  const initialState: TransactionFormState = { message: null, errors: {} };
  const [state, formAction, pending] = useActionState(editTransaction.bind(null, transactionId), initialState);
  const errors = state.errors ?? {};
  const values = state.values ?? initialValues;

  return (
    <div className="grid gap-6">
      {/* Keyed on the returned values so a refused form shows what was typed (React resets it). */}
      <form key={JSON.stringify(state.values ?? null)} action={formAction} className="grid gap-5" noValidate>
        <TransactionFields accounts={accounts} categories={categories} errors={errors} values={values} />

        <div id="form-error" aria-live="polite" aria-atomic="true">
          {state.message && (
            <p className="flex items-center gap-2 text-sm text-destructive">
              <CircleAlertIcon className="size-4 shrink-0" aria-hidden="true" />
              {state.message}
            </p>
          )}
        </div>

        <div className="flex justify-end">
          <Button type="submit" disabled={pending} aria-disabled={pending} className="w-full sm:w-auto">
            {pending ? "Saving…" : "Save changes"}
          </Button>
        </div>
      </form>

      <DeleteTransactionButton transactionId={transactionId} description={initialValues.description} />
    </div>
  );
}

function DeleteTransactionButton({ transactionId, description }: { transactionId: number; description: string }) {
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <div className="grid gap-2 border-t pt-5">
      <AlertDialog open={open} onOpenChange={setOpen}>
        <AlertDialogTrigger asChild>
          <Button variant="outline" className="w-full text-destructive sm:w-auto sm:justify-self-start">
            <Trash2Icon aria-hidden="true" />
            Delete transaction
          </Button>
        </AlertDialogTrigger>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete this transaction?</AlertDialogTitle>
            <AlertDialogDescription>
              “{description}” will be removed for good and the account&apos;s balance will change. This cannot be
              undone.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
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
              {pending ? "Deleting…" : "Delete"}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
      <div aria-live="polite" aria-atomic="true">
        {message && (
          <p className="flex items-center gap-2 text-sm text-destructive">
            <CircleAlertIcon className="size-4 shrink-0" aria-hidden="true" />
            {message}
          </p>
        )}
      </div>
    </div>
  );
}
