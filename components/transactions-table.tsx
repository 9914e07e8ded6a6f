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
          <TableHead>{t("date")}</TableHead>
          <TableHead>{t("description")}</TableHead>
          <TableHead>{t("account")}</TableHead>
          <TableHead>{t("category")}</TableHead>
          <TableHead className="text-right">{t("amount")}</TableHead>
          {actions && (
            <TableHead className="text-right">
              <span className="sr-only">{t("actions")}</span>
            </TableHead>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.id} data-testid={`transaction-${row.id}`}>
            <TableCell className="text-muted-foreground">
              <time dateTime={isoDay(row.occurredAt)}>{formatTransactionDate(row.occurredAt, locale)}</time>
            </TableCell>
            <TableCell className="max-w-[16rem] truncate sm:max-w-sm" title={row.description}>
              {row.description}
            </TableCell>
            <TableCell>{row.accountName}</TableCell>
            <TableCell className="text-muted-foreground">
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
        ))}
      </TableBody>
    </Table>
  );
}
