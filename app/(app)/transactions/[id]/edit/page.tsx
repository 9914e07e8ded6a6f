import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";

import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getDb } from "@/lib/app/live-database";
import { getTransaction } from "@/lib/finance/get-transaction";
import { listFormOptions, type Option } from "@/lib/finance/list-form-options";
import { decimalMarkOf, formatCentsPlain } from "@/lib/finance/format-plain-amount";
import { requireUser } from "@/lib/web/auth";
import { EditTransactionForm } from "./edit-transaction-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("EditTransaction");
  return { title: t("title") };
}

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
  const [t, tf, locale] = await Promise.all([
    getTranslations("EditTransaction"),
    getTranslations("Finance"),
    getLocale(),
  ]);
  const archivedLabel = (o: Option): Option => ({ ...o, name: tf("archivedOption", { name: o.name }) });
  const accounts = archivedAccount ? [...options.accounts, archivedLabel(archivedAccount)] : options.accounts;
  const categories = archivedCategory ? [...options.categories, archivedLabel(archivedCategory)] : options.categories;

  return (
    <div className="grid max-w-2xl grid-cols-1 gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>{transaction.description}</h2>
          </CardTitle>
          <CardDescription>{t("cardDescription")}</CardDescription>
        </CardHeader>
        <CardContent>
          <EditTransactionForm
            transactionId={transaction.id}
            accounts={accounts}
            categories={categories}
            initialValues={{
              accountId: String(transaction.accountId),
              categoryId: transaction.categoryId === null ? "" : String(transaction.categoryId),
              // In the UI language's convention (-1234,56 in pt-BR), as the user would type it.
              amount: formatCentsPlain(transaction.amountCents, decimalMarkOf(locale)),
              description: transaction.description,
              date: transaction.date,
            }}
          />
        </CardContent>
      </Card>
    </div>
  );
}
