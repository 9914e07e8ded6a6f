"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { CheckIcon } from "lucide-react";

import { Button } from "@/components/ui/button";
import { reconcileTransaction, type ReconcileState } from "./actions";

/** The row's reconciled toggle: a real form, so it also works before JavaScript has loaded. */
export function ReconcileButton({
  id,
  reconciled,
  description,
}: {
  id: number;
  reconciled: boolean;
  description: string;
}) {
  const t = useTranslations("Reconcile");
  const [state, formAction, pending] = useActionState(reconcileTransaction, { message: null } as ReconcileState);
  return (
    <form action={formAction} className="inline-flex flex-col items-end">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="reconciled" value={reconciled ? "false" : "true"} />
      <Button
        type="submit"
        variant={reconciled ? "secondary" : "ghost"}
        size="sm"
        disabled={pending}
        aria-pressed={reconciled}
        aria-label={t("label", { description })}
        title={reconciled ? t("titleReconciled") : t("titleNotReconciled")}
      >
        <CheckIcon aria-hidden="true" className={reconciled ? "" : "opacity-30"} />
        <span className="sr-only sm:not-sr-only">{reconciled ? t("reconciled") : t("reconcile")}</span>
      </Button>
      <span aria-live="polite" className="text-xs text-destructive">
        {state.message}
      </span>
    </form>
  );
}
