import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { PlusIcon } from "lucide-react";

import { Amount } from "@/components/amount";
import { TransactionsTable } from "@/components/transactions-table";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getDb, liveTarget } from "@/lib/app/live-database";
import { getAccountBalances } from "@/lib/finance/get-account-balances";
import { listRecentTransactions } from "@/lib/finance/list-transactions";
import { sumIncomeAndExpenses } from "@/lib/finance/sum-income-and-expenses";
import { filterToSearchParams } from "@/lib/finance/transaction-filter";
import { isoDateInTimeZone, monthRange } from "@/lib/time-zone";
import { requireUser } from "@/lib/web/auth";
import { getCurrentFamily } from "@/lib/web/family";

const RECENT = 10;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Overview");
  return { title: t("title") };
}

export default async function DashboardPage() {
  const user = await requireUser();
  const family = await getCurrentFamily(user.familyId);
  // The month the family is in now, by its own clock, not the server's.
  const month = monthRange(isoDateInTimeZone(family.timeZone));
  const db = await getDb();
  const [balances, recent, monthSums, t, format] = await Promise.all([
    getAccountBalances(db, user.familyId),
    listRecentTransactions(db, user.familyId, RECENT),
    sumIncomeAndExpenses(db, user.familyId, month, liveTarget().engine),
    getTranslations("Overview"),
    getFormatter(),
  ]);
  const monthName = format.dateTime(new Date(`${month.from}T12:00:00.000Z`), {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
  const figures = [
    { key: "income", label: t("income"), cents: monthSums.incomeCents },
    { key: "expenses", label: t("expenses"), cents: monthSums.expensesCents },
    { key: "net", label: t("net"), cents: monthSums.incomeCents + monthSums.expensesCents },
  ] as const;

  return (
    <div className="grid grid-cols-1 gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
        <Button asChild size="sm">
          <Link href="/transactions/new">
            <PlusIcon aria-hidden="true" />
            {t("addTransaction")}
          </Link>
        </Button>
      </div>

      <Card aria-labelledby="month-title">
        <CardHeader>
          <CardTitle>
            <h2 id="month-title">{t("monthTitle")}</h2>
          </CardTitle>
          <CardDescription>{t("monthDescription", { month: monthName })}</CardDescription>
          <CardAction>
            <Button asChild variant="outline" size="sm">
              <Link href={`/transactions?${filterToSearchParams(month).toString()}`}>{t("monthTransactions")}</Link>
            </Button>
          </CardAction>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-3 sm:grid-cols-3">
            {figures.map((f) => (
              <div
                key={f.key}
                className="flex items-baseline justify-between gap-3 rounded-md border px-3 py-2 sm:flex-col sm:items-start sm:gap-1"
              >
                <dt className="text-sm text-muted-foreground">{f.label}</dt>
                <dd className="text-lg font-semibold">
                  <Amount cents={f.cents} currency={family.currency} data-testid={`month-${f.key}`} />
                </dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>

      <Card aria-labelledby="balances-title">
        <CardHeader>
          <CardTitle>
            <h2 id="balances-title">{t("balancesTitle")}</h2>
          </CardTitle>
          <CardDescription>{t("balancesDescription")}</CardDescription>
        </CardHeader>
        <CardContent>
          {balances.accounts.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t("noAccounts")}</p>
          ) : (
            <Table>
              <caption className="sr-only">{t("balancesCaption")}</caption>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("account")}</TableHead>
                  <TableHead className="text-right">{t("balance")}</TableHead>
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
                  <TableCell className="font-semibold">{t("total")}</TableCell>
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
            <h2 id="recent-title">{t("recentTitle")}</h2>
          </CardTitle>
          <CardDescription>{t("recentDescription", { count: RECENT })}</CardDescription>
          <CardAction>
            <Button asChild variant="outline" size="sm">
              <Link href="/transactions">{t("viewAll")}</Link>
            </Button>
          </CardAction>
        </CardHeader>
        <CardContent>
          {recent.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t("noTransactions")}</p>
          ) : (
            <TransactionsTable rows={recent} currency={family.currency} caption={t("recentTitle")} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
