import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeftIcon, ChevronRightIcon, PlusIcon } from "lucide-react";

import { TransactionsTable } from "@/components/transactions-table";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { getDb } from "@/lib/db/live";
import { getFamily } from "@/lib/finance/get-family";
import { listTransactions } from "@/lib/finance/list-transactions";
import { requireUser } from "@/lib/web/auth";

export const metadata: Metadata = { title: "Transactions" };

const numberFormat = new Intl.NumberFormat("en-US");

/** `?page=N`, 1-based; anything else is page 1. Capped so OFFSET stays a sane number. */
function readPage(value: string | string[] | undefined): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isSafeInteger(n) && n >= 1 ? Math.min(n, 1_000_000_000) : 1;
}

export default async function TransactionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const page = readPage((await searchParams).page);
  const db = await getDb();
  const [family, result] = await Promise.all([getFamily(db, user.familyId), listTransactions(db, user.familyId, page)]);

  const first = result.total === 0 ? 0 : (page - 1) * result.pageSize + 1;
  const last = first === 0 ? 0 : first + result.rows.length - 1;
  const hasPrevious = page > 1;
  const hasNext = page < result.pageCount;

  return (
    <div className="grid grid-cols-1 gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Transactions</h1>
          <p className="text-sm text-muted-foreground" data-testid="transactions-count">
            {numberFormat.format(result.total)} {result.total === 1 ? "transaction" : "transactions"}
          </p>
        </div>
        <Button asChild size="sm">
          <Link href="/transactions/new">
            <PlusIcon aria-hidden="true" />
            Add transaction
          </Link>
        </Button>
      </div>

      <Card className="py-4">
        <CardContent className="px-4">
          {result.rows.length === 0 ? (
            <p className="py-6 text-center text-sm text-muted-foreground">
              {result.total === 0 ? "No transactions yet." : "There are no transactions on this page."}
            </p>
          ) : (
            <TransactionsTable
              rows={result.rows}
              currency={family.currency}
              caption={`Transactions, page ${page} of ${result.pageCount}`}
            />
          )}
        </CardContent>
      </Card>

      <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted-foreground">
          {first > 0 ? (
            <>
              Showing {numberFormat.format(first)}–{numberFormat.format(last)} of {numberFormat.format(result.total)} ·
              Page {numberFormat.format(page)} of {numberFormat.format(result.pageCount)}
            </>
          ) : (
            <>
              Page {numberFormat.format(page)} of {numberFormat.format(result.pageCount)}
            </>
          )}
        </p>
        <div className="flex gap-2">
          <PageLink page={Math.min(page - 1, result.pageCount)} enabled={hasPrevious} rel="prev">
            <ChevronLeftIcon aria-hidden="true" />
            Previous
          </PageLink>
          <PageLink page={page + 1} enabled={hasNext} rel="next">
            Next
            <ChevronRightIcon aria-hidden="true" />
          </PageLink>
        </div>
      </nav>
    </div>
  );
}

function PageLink({
  page,
  enabled,
  rel,
  children,
}: {
  page: number;
  enabled: boolean;
  rel: "prev" | "next";
  children: React.ReactNode;
}) {
  if (!enabled) {
    // A disabled button rather than a dead link: nothing to focus, nothing to follow.
    return (
      <Button variant="outline" size="sm" disabled>
        {children}
      </Button>
    );
  }
  return (
    <Button asChild variant="outline" size="sm">
      <Link href={page === 1 ? "/transactions" : `/transactions?page=${page}`} rel={rel}>
        {children}
      </Link>
    </Button>
  );
}
