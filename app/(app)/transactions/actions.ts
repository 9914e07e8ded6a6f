"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";

import { getDb } from "@/lib/app/live-database";
import { setTransactionReconciled } from "@/lib/finance/set-transaction-reconciled";
import { log } from "@/lib/log";
import { requireUser } from "@/lib/web/auth";
import { RestoreInProgressError, withWriteGate } from "@/lib/web/maintenance";

export type ReconcileState = { message?: string | null };

const ReconcileSchema = z.object({
  id: z.coerce.number().int().positive(),
  reconciled: z.enum(["true", "false"]).transform((v) => v === "true"),
});

/** Marks a transaction reconciled or not (the row's toggle on /transactions). */
export async function reconcileTransaction(_prevState: ReconcileState, formData: FormData): Promise<ReconcileState> {
  const user = await requireUser();
  const t = await getTranslations();
  const parsed = ReconcileSchema.safeParse({ id: formData.get("id"), reconciled: formData.get("reconciled") });
  if (!parsed.success) return { message: t("Reconcile.notFound") };

  let changed: boolean;
  try {
    changed = await withWriteGate(async () =>
      setTransactionReconciled(await getDb(), user.familyId, parsed.data.id, parsed.data.reconciled),
    );
  } catch (error) {
    if (error instanceof RestoreInProgressError) return { message: t("Common.restoreInProgress") };
    log("WEB", `reconciling a transaction failed: ${error instanceof Error ? error.message : String(error)}`);
    return { message: t("Reconcile.failed") };
  }
  if (!changed) return { message: t("Reconcile.gone") };
  revalidatePath("/transactions");
  return { message: null };
}
