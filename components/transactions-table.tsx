import { Amount } from "@/components/amount";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDate } from "@/lib/finance/format-date";
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
  return (
    <Table>
      <caption className="sr-only">{caption}</caption>
      <TableHeader>
        <TableRow>
          <TableHead>Date</TableHead>
          <TableHead>Description</TableHead>
          <TableHead>Account</TableHead>
          <TableHead>Category</TableHead>
          <TableHead className="text-right">Amount</TableHead>
          {actions && (
            <TableHead className="text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((t) => (
          <TableRow key={t.id} data-testid={`transaction-${t.id}`}>
            <TableCell className="text-muted-foreground">
              <time dateTime={t.occurredAt.toISOString().slice(0, 10)}>{formatDate(t.occurredAt)}</time>
            </TableCell>
            <TableCell className="max-w-[16rem] truncate sm:max-w-sm" title={t.description}>
              {t.description}
            </TableCell>
            <TableCell>{t.accountName}</TableCell>
            <TableCell className="text-muted-foreground">{t.categoryName ?? "—"}</TableCell>
            <TableCell className="text-right">
              <Amount cents={t.amountCents} currency={currency} />
            </TableCell>
            {actions && <TableCell className="text-right">{actions(t)}</TableCell>}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
