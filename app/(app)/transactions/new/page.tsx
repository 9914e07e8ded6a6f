import type { Metadata } from "next";
import Link from "next/link";

import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getDb } from "@/lib/db/live";
import { todayIsoDate } from "@/lib/finance/format-date";
import { listFormOptions } from "@/lib/finance/list-form-options";
import { requireUser } from "@/lib/web/auth";
import { CreateTransactionForm } from "./create-transaction-form";

export const metadata: Metadata = { title: "Add transaction" };

export default async function NewTransactionPage() {
  const user = await requireUser();
  const { accounts, categories } = await listFormOptions(await getDb(), user.familyId);

  return (
    <div className="grid max-w-2xl grid-cols-1 gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Add transaction</h1>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>New transaction</h2>
          </CardTitle>
          <CardDescription>It counts towards the account&apos;s balance on the dashboard.</CardDescription>
        </CardHeader>
        <CardContent>
          {accounts.length === 0 ? (
            <div className="grid gap-3 text-sm">
              <p>There is no open account to add a transaction to yet.</p>
              <div>
                <Button asChild variant="outline" size="sm">
                  <Link href="/">Back to the dashboard</Link>
                </Button>
              </div>
            </div>
          ) : (
            <CreateTransactionForm accounts={accounts} categories={categories} today={todayIsoDate()} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
