import type { Metadata } from "next";
import Link from "next/link";
import { PlusIcon } from "lucide-react";

import { Amount } from "@/components/amount";
import { TransactionsTable } from "@/components/transactions-table";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getDb } from "@/lib/db/live";
import { getAccountBalances } from "@/lib/finance/get-account-balances";
import { getFamily } from "@/lib/finance/get-family";
import { listRecentTransactions } from "@/lib/finance/list-transactions";
import { requireUser } from "@/lib/web/auth";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requireUser();
  const db = await getDb();
  const [family, balances, recent] = await Promise.all([
    getFamily(db, user.familyId),
    getAccountBalances(db, user.familyId),
    listRecentTransactions(db, user.familyId, 10),
  ]);

  return (
    <div className="grid grid-cols-1 gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Dashboard</h1>
        <Button asChild size="sm">
          <Link href="/transactions/new">
            <PlusIcon aria-hidden="true" />
            Add transaction
          </Link>
        </Button>
      </div>

      <Card aria-labelledby="balances-title">
        <CardHeader>
          <CardTitle>
            <h2 id="balances-title">Accounts</h2>
          </CardTitle>
          <CardDescription>Balance of each open account: the sum of its transactions.</CardDescription>
        </CardHeader>
        <CardContent>
          {balances.accounts.length === 0 ? (
            <p className="text-sm text-muted-foreground">No accounts yet.</p>
          ) : (
            <Table>
              <caption className="sr-only">Account balances</caption>
              <TableHeader>
                <TableRow>
                  <TableHead>Account</TableHead>
                  <TableHead className="text-right">Balance</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {balances.accounts.map((account) => (
                  <TableRow key={account.id} data-testid={`account-${account.id}`}>
                    <TableCell className="whitespace-normal">{account.name}</TableCell>
                    <TableCell className="text-right font-medium" data-testid={`balance-${account.id}`}>
                      <Amount cents={account.balanceCents} currency={family.currency} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
              <TableFooter>
                <TableRow>
                  <TableCell className="font-semibold">Total</TableCell>
                  <TableCell className="text-right font-semibold" data-testid="balance-total">
                    <Amount cents={balances.totalCents} currency={family.currency} />
                  </TableCell>
                </TableRow>
              </TableFooter>
            </Table>
          )}
        </CardContent>
      </Card>

      <Card aria-labelledby="recent-title">
        <CardHeader>
          <CardTitle>
            <h2 id="recent-title">Latest transactions</h2>
          </CardTitle>
          <CardDescription>The 10 most recent.</CardDescription>
          <CardAction>
            <Button asChild variant="outline" size="sm">
              <Link href="/transactions">View all</Link>
            </Button>
          </CardAction>
        </CardHeader>
        <CardContent>
          {recent.length === 0 ? (
            <p className="text-sm text-muted-foreground">No transactions yet.</p>
          ) : (
            <TransactionsTable rows={recent} currency={family.currency} caption="Latest transactions" />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
