import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ChevronLeftIcon, ChevronRightIcon, DownloadIcon, PencilIcon, PlusIcon } from "lucide-react";

import { Amount } from "@/components/amount";
import { TransactionsTable } from "@/components/transactions-table";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { getDb, liveTarget } from "@/lib/app/live-database";
import { listFilterOptions } from "@/lib/finance/list-form-options";
import { listTransactions } from "@/lib/finance/list-transactions";
import {
  filterToSearchParams,
  isFiltered,
  parseTransactionFilter,
  type TransactionFilter,
} from "@/lib/finance/transaction-filter";
import { isoDateInTimeZone, monthRange } from "@/lib/time-zone";
import { requireUser } from "@/lib/web/auth";
import { getCurrentFamily } from "@/lib/web/family";
import { cn } from "@/lib/utils";
import { ReconcileButton } from "./reconcile-button";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Transactions");
  return { title: t("title") };
}

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
  const family = await getCurrentFamily(user.familyId);
  const db = await getDb();
  const [options, result, t, tf] = await Promise.all([
    listFilterOptions(db, user.familyId),
    listTransactions(db, user.familyId, page, undefined, { filter, engine: liveTarget().engine }),
    getTranslations("Transactions"),
    getTranslations("Finance"),
  ]);

  // Quick periods, by the family's own calendar: a click, then "Export CSV", exports a month.
  // They keep the rest of the filter (account, category, text).
  const today = isoDateInTimeZone(family.timeZone);
  const periods = [
    { key: "thisMonth", label: t("thisMonth"), range: monthRange(today) },
    { key: "lastMonth", label: t("lastMonth"), range: monthRange(today, 1) },
  ] as const;

  const first = result.total === 0 ? 0 : (page - 1) * result.pageSize + 1;
  const last = first === 0 ? 0 : first + result.rows.length - 1;
  const hasPrevious = page > 1;
  const hasNext = page < result.pageCount;
  const pageOf = t("page", { page, pageCount: result.pageCount });
  const archived = (o: { name: string; archived: boolean }) =>
    o.archived ? tf("archivedOption", { name: o.name }) : o.name;

  return (
    <div className="grid grid-cols-1 gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
          <p className="text-sm text-muted-foreground" data-testid="transactions-count">
            {filtered ? t("countFiltered", { count: result.total }) : t("count", { count: result.total })} ·{" "}
            {t("total")}{" "}
            <Amount cents={result.totalCents} currency={family.currency} data-testid="transactions-total" />
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button asChild size="sm" variant="outline">
            <a href={hrefWith("/api/transactions.csv", filter)} download>
              <DownloadIcon aria-hidden="true" />
              {t("exportCsv")}
            </a>
          </Button>
          <Button asChild size="sm">
            <Link href="/transactions/new">
              <PlusIcon aria-hidden="true" />
              {t("addTransaction")}
            </Link>
          </Button>
        </div>
      </div>

      <Card className="gap-4 py-4">
        <CardContent className="grid gap-4 px-4">
          <div role="group" aria-labelledby="periods-label" className="flex flex-wrap items-center gap-2">
            <span id="periods-label" className="text-sm font-medium">
              {t("period")}
            </span>
            {periods.map((p) => {
              const current = filter.from === p.range.from && filter.to === p.range.to;
              return (
                <Button key={p.key} asChild size="sm" variant={current ? "secondary" : "outline"}>
                  <Link
                    href={hrefWith("/transactions", { ...filter, ...p.range })}
                    aria-current={current ? "true" : undefined}
                    className={cn(current && "font-semibold")}
                  >
                    {p.label}
                  </Link>
                </Button>
              );
            })}
          </div>
          {/* A plain GET form: the filter lives in the URL, so it can be bookmarked and exported. */}
          <form
            method="get"
            action="/transactions"
            role="search"
            aria-label={t("filterLabel")}
            className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4 lg:items-end"
          >
            <div className="grid gap-1.5 lg:col-span-2">
              <Label htmlFor="filter-q">{t("search")}</Label>
              <Input
                id="filter-q"
                name="q"
                type="search"
                defaultValue={filter.q}
                placeholder={t("searchPlaceholder")}
              />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-account">{t("account")}</Label>
              <Select id="filter-account" name="accountId" defaultValue={filter.accountId ?? ""}>
                <option value="">{t("allAccounts")}</option>
                {options.accounts.map((a) => (
                  <option key={a.id} value={a.id}>
                    {archived(a)}
                  </option>
                ))}
              </Select>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-category">{t("category")}</Label>
              <Select id="filter-category" name="categoryId" defaultValue={filter.categoryId ?? ""}>
                <option value="">{t("allCategories")}</option>
                {options.categories.map((c) => (
                  <option key={c.id} value={c.id}>
                    {archived(c)}
                  </option>
                ))}
              </Select>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-from">{t("from")}</Label>
              <Input id="filter-from" name="from" type="date" defaultValue={filter.from} />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="filter-to">{t("to")}</Label>
              <Input id="filter-to" name="to" type="date" defaultValue={filter.to} />
            </div>
            <div className="flex gap-2 sm:col-span-2 lg:col-span-2 lg:justify-end">
              {filtered && (
                <Button asChild variant="ghost" size="sm">
                  <Link href="/transactions">{t("clearFilter")}</Link>
                </Button>
              )}
              <Button type="submit" size="sm" variant="secondary">
                {t("applyFilter")}
              </Button>
            </div>
          </form>
        </CardContent>
      </Card>

      <Card className="py-4">
        <CardContent className="px-4">
          {result.rows.length === 0 ? (
            <p className="py-6 text-center text-sm text-muted-foreground">
              {result.total === 0 ? (filtered ? t("emptyFiltered") : t("empty")) : t("emptyPage")}
            </p>
          ) : (
            <TransactionsTable
              rows={result.rows}
              currency={family.currency}
              caption={t("caption", { page, pageCount: result.pageCount })}
              actions={(row) => (
                <div className="flex items-start justify-end gap-1">
                  <ReconcileButton id={row.id} reconciled={row.reconciled} description={row.description} />
                  <Button asChild variant="ghost" size="sm">
                    <Link
                      href={`/transactions/${row.id}/edit`}
                      aria-label={t("editLabel", { description: row.description })}
                    >
                      <PencilIcon aria-hidden="true" />
                      <span className="sr-only sm:not-sr-only">{t("edit")}</span>
                    </Link>
                  </Button>
                </div>
              )}
            />
          )}
        </CardContent>
      </Card>

      <nav aria-label={t("pagination")} className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted-foreground">
          {first > 0 ? `${t("showing", { first, last, total: result.total })} · ${pageOf}` : pageOf}
        </p>
        <div className="flex gap-2">
          <PageLink
            href={hrefWith("/transactions", filter, Math.min(page - 1, result.pageCount))}
            enabled={hasPrevious}
            rel="prev"
          >
            <ChevronLeftIcon aria-hidden="true" />
            {t("previous")}
          </PageLink>
          <PageLink href={hrefWith("/transactions", filter, page + 1)} enabled={hasNext} rel="next">
            {t("next")}
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
