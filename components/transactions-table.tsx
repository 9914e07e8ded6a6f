import { useLocale, useTranslations } from "next-intl";

import { Amount } from "@/components/amount";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatTransactionDate, isoDay } from "@/lib/finance/format-date";
import type { TransactionRow } from "@/lib/finance/list-transactions";

export function TransactionsTable({
  rows,
  currency,
  caption,
  actions,
}: {
  rows: TransactionRow[];
  currency: string;
  caption: string;
  /** Controls for each row (edit, reconcile), in a last column; none on the dashboard. */
  actions?: (row: TransactionRow) => React.ReactNode;
}) {
  const t = useTranslations("TransactionsTable");
  const locale = useLocale();
  return (
    <Table>
      <caption className="sr-only">{caption}</caption>
      <TableHeader>
        <TableRow>
          <TableHead className="hidden sm:table-cell">{t("date")}</TableHead>
          <TableHead>{t("description")}</TableHead>
          <TableHead className="hidden md:table-cell">{t("account")}</TableHead>
          <TableHead className="hidden md:table-cell">{t("category")}</TableHead>
          <TableHead className="text-right">{t("amount")}</TableHead>
          {actions && (
            <TableHead className="text-right">
              <span className="sr-only">{t("actions")}</span>
            </TableHead>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => {
          const date = <time dateTime={isoDay(row.occurredAt)}>{formatTransactionDate(row.occurredAt, locale)}</time>;
          return (
            <TableRow key={row.id} data-testid={`transaction-${row.id}`}>
              <TableCell className="hidden text-muted-foreground sm:table-cell">{date}</TableCell>
              <TableCell className="w-full max-w-0" title={row.description}>
                <div className="line-clamp-2 break-words whitespace-normal">{row.description}</div>
                {/* On a phone the columns that do not fit ride under the description, so the
                    amount stays in view without scrolling sideways. */}
                <div className="truncate text-xs text-muted-foreground md:hidden">
                  <span className="sm:hidden">{date} · </span>
                  {row.accountName}
                  {row.categoryName && ` · ${row.categoryName}`}
                </div>
              </TableCell>
              <TableCell className="hidden md:table-cell">{row.accountName}</TableCell>
              <TableCell className="hidden text-muted-foreground md:table-cell">
                {row.categoryName ?? (
                  <>
                    <span aria-hidden="true">—</span>
                    <span className="sr-only">{t("noCategory")}</span>
                  </>
                )}
              </TableCell>
              <TableCell className="text-right">
                <Amount cents={row.amountCents} currency={currency} />
              </TableCell>
              {actions && <TableCell className="text-right">{actions(row)}</TableCell>}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
