import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getDb } from "@/lib/db/live";
import { getTransaction } from "@/lib/finance/get-transaction";
import { listFormOptions, type Option } from "@/lib/finance/list-form-options";
import { formatCentsPlain } from "@/lib/finance/transactions-csv";
import { requireUser } from "@/lib/web/auth";
import { EditTransactionForm } from "./edit-transaction-form";

export const metadata: Metadata = { title: "Edit transaction" };

export default async function EditTransactionPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id: rawId } = await params;
  const id = Number(rawId);
  if (!/^\d+$/.test(rawId) || !Number.isSafeInteger(id)) notFound();

  const db = await getDb();
  const [transaction, options] = await Promise.all([
    getTransaction(db, user.familyId, id),
    listFormOptions(db, user.familyId),
  ]);
  if (!transaction) notFound();

  // A transaction on an archived account or category keeps it as a choice.
  const [archivedAccount, archivedCategory] = await Promise.all([
    options.accounts.some((a) => a.id === transaction.accountId)
      ? null
      : db.account.findUnique({ where: { id: transaction.accountId }, select: { id: true, name: true } }),
    transaction.categoryId === null || options.categories.some((c) => c.id === transaction.categoryId)
      ? null
      : db.category.findUnique({ where: { id: transaction.categoryId }, select: { id: true, name: true } }),
  ]);
  const archivedLabel = (o: Option): Option => ({ ...o, name: `${o.name} (archived)` });
  const accounts = archivedAccount ? [...options.accounts, archivedLabel(archivedAccount)] : options.accounts;
  const categories = archivedCategory ? [...options.categories, archivedLabel(archivedCategory)] : options.categories;

  return (
    <div className="grid max-w-2xl grid-cols-1 gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Edit transaction</h1>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>{transaction.description}</h2>
          </CardTitle>
          <CardDescription>Changes count towards the accounts&apos; balances at once.</CardDescription>
        </CardHeader>
        <CardContent>
          <EditTransactionForm
            transactionId={transaction.id}
            accounts={accounts}
            categories={categories}
            initialValues={{
              accountId: String(transaction.accountId),
              categoryId: transaction.categoryId === null ? "" : String(transaction.categoryId),
              amount: formatCentsPlain(transaction.amountCents),
              description: transaction.description,
              date: transaction.date,
            }}
          />
        </CardContent>
      </Card>
    </div>
  );
}
