"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";

import { getDb } from "@/lib/app/live-database";
import { setTransactionReconciled } from "@/lib/finance/set-transaction-reconciled";
import { requireUser } from "@/lib/web/auth";
import { writeThroughGate } from "@/lib/web/maintenance";

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

  const changed = await writeThroughGate(
    async () => setTransactionReconciled(await getDb(), user.familyId, parsed.data.id, parsed.data.reconciled),
    { doing: "reconciling a transaction", message: t("Reconcile.failed") },
  );
  if (!changed.ok) return { message: changed.message };
  if (!changed.value) return { message: t("Reconcile.gone") };
  revalidatePath("/transactions");
  return { message: null };
}
