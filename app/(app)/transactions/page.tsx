import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeftIcon, ChevronRightIcon, DownloadIcon, PencilIcon, PlusIcon } from "lucide-react";

import { Amount } from "@/components/amount";
import { TransactionsTable } from "@/components/transactions-table";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { getDb, liveTarget } from "@/lib/db/live";
import { getFamily } from "@/lib/finance/get-family";
import { listFilterOptions } from "@/lib/finance/list-form-options";
import { listTransactions } from "@/lib/finance/list-transactions";
import {
  filterToSearchParams,
  isFiltered,
  parseTransactionFilter,
  type TransactionFilter,
} from "@/lib/finance/transaction-filter";
import { requireUser } from "@/lib/web/auth";
import { ReconcileButton } from "./reconcile-button";

export const metadata: Metadata = { title: "Transactions" };

const numberFormat = new Intl.NumberFormat("en-US");

/** `?page=N`, 1-based; anything else is page 1. Capped so OFFSET stays a sane number. */
function readPage(value: string | string[] | undefined): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isSafeInteger(n) && n >= 1 ? Math.min(n, 1_000_000_000) : 1;
}

/** A URL of `path` with the filter (and a page other than the first) in its query. */
function hrefWith(path: string, filter: TransactionFilter, page = 1): string {
  const params = filterToSearchParams(filter);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

export default async function TransactionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const params = await searchParams;
  const page = readPage(params.page);
  const filter = parseTransactionFilter(params);
  const filtered = isFiltered(filter);
  const db = await getDb();
  const [family, options, result] = await Promise.all([
    getFamily(db, user.familyId),
    listFilterOptions(db, user.familyId),
    listTransactions(db, user.familyId, page, undefined, { filter, engine: liveTarget().engine }),
  ]);

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
            {filtered && " match the filter"} · Total{" "}
            <Amount cents={result.totalCents} currency={family.currency} data-testid="transactions-total" />
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button asChild size="sm" variant="outline">
            <a href={hrefWith("/api/transactions.csv", filter)} download>
              <DownloadIcon aria-hidden="true" />
              Export CSV
            </a>
          </Button>
          <Button asChild size="sm">
            <Link href="/transactions/new">
              <PlusIcon aria-hidden="true" />
              Add transaction
            </Link>
          </Button>
        </div>
      </div>

      <Card className="py-4">
        <CardContent className="px-4">
          {/* A plain GET form: the filter lives in the URL, so it can be bookmarked and exported. */}
          <form
            method="get"
            action="/transactions"
            role="search"
            aria-label="Filter transactions"
            className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end"
          >
            <div className="grid gap-1.5 lg:col-span-2">
              <Label htmlFor="filter-q">Search</Label>
              <Input id="filter-q" name="q" type="search" defaultValue={filter.q} placeholder="Description contains…" />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-account">Account</Label>
              <Select id="filter-account" name="accountId" defaultValue={filter.accountId ?? ""}>
                <option value="">All accounts</option>
                {options.accounts.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.archived ? `${a.name} (archived)` : a.name}
                  </option>
                ))}
              </Select>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-category">Category</Label>
              <Select id="filter-category" name="categoryId" defaultValue={filter.categoryId ?? ""}>
                <option value="">All categories</option>
                {options.categories.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.archived ? `${c.name} (archived)` : c.name}
                  </option>
                ))}
              </Select>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-from">From</Label>
              <Input id="filter-from" name="from" type="date" defaultValue={filter.from} />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-to">To</Label>
              <Input id="filter-to" name="to" type="date" defaultValue={filter.to} />
            </div>
            <div className="flex gap-2 sm:col-span-2 lg:col-span-6 lg:justify-end">
              {filtered && (
                <Button asChild variant="ghost" size="sm">
                  <Link href="/transactions">Clear filter</Link>
                </Button>
              )}
              <Button type="submit" size="sm" variant="secondary">
                Apply filter
              </Button>
            </div>
          </form>
        </CardContent>
      </Card>

      <Card className="py-4">
        <CardContent className="px-4">
          {result.rows.length === 0 ? (
            <p className="py-6 text-center text-sm text-muted-foreground">
              {result.total === 0
                ? filtered
                  ? "No transactions match the filter."
                  : "No transactions yet."
                : "There are no transactions on this page."}
            </p>
          ) : (
            <TransactionsTable
              rows={result.rows}
              currency={family.currency}
              caption={`Transactions, page ${page} of ${result.pageCount}`}
              actions={(t) => (
                <div className="flex items-start justify-end gap-1">
                  <ReconcileButton id={t.id} reconciled={t.reconciled} description={t.description} />
                  <Button asChild variant="ghost" size="sm">
                    <Link href={`/transactions/${t.id}/edit`} aria-label={`Edit ${t.description}`}>
                      <PencilIcon aria-hidden="true" />
                      <span className="sr-only sm:not-sr-only">Edit</span>
                    </Link>
                  </Button>
                </div>
              )}
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
          <PageLink
            href={hrefWith("/transactions", filter, Math.min(page - 1, result.pageCount))}
            enabled={hasPrevious}
            rel="prev"
          >
            <ChevronLeftIcon aria-hidden="true" />
            Previous
          </PageLink>
          <PageLink href={hrefWith("/transactions", filter, page + 1)} enabled={hasNext} rel="next">
            Next
            <ChevronRightIcon aria-hidden="true" />
          </PageLink>
        </div>
      </nav>
    </div>
  );
}

function PageLink({
  href,
  enabled,
  rel,
  children,
}: {
  href: string;
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
      <Link href={href} rel={rel}>
        {children}
      </Link>
    </Button>
  );
}
