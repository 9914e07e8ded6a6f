import type { Db } from "../db/client.ts";
import type { Engine } from "../db/url.ts";
import { transactionsWhere, type TransactionFilter } from "./transaction-filter.ts";

/** Spreadsheet apps read a file as UTF-8 only when it starts with this byte order mark. */
export const CSV_BOM = "\uFEFF";

export const CSV_HEADER = ["Date", "Description", "Account", "Category", "Amount", "Reconciled"] as const;

/** How many rows one query of the export reads. */
export const CSV_BATCH_SIZE = 5000;

/** Cents as a plain decimal with two places, exact at any size: -123456n → "-1234.56". */
export function formatCentsPlain(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/** One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A text a spreadsheet must not run: one starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return is read as a formula by Excel and LibreOffice (OWASP "CSV injection"), so it gets a
 * leading apostrophe. Only for free text (descriptions, names), never for the amounts.
 */
export function csvText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

export type CsvTransaction = {
  occurredAt: Date;
  description: string;
  accountName: string;
  categoryName: string | null;
  amountCents: bigint;
  reconciled: boolean;
};

export function transactionCsvLine(t: CsvTransaction): string {
  return csvLine([
    t.occurredAt.toISOString().slice(0, 10),
    csvText(t.description),
    csvText(t.accountName),
    csvText(t.categoryName ?? ""),
    formatCentsPlain(t.amountCents),
    t.reconciled ? "yes" : "no",
  ]);
}

/**
 * The filtered transactions as a CSV byte stream (BOM, header, one line per transaction, in
 * the order they were recorded). Rows are read `batchSize` at a time after the last id seen,
 * and only when the reader asks for more, so a million rows never sit in memory together.
 */
export function streamTransactionsCsv(
  db: Db,
  familyId: number,
  filter: TransactionFilter,
  engine: Engine,
  batchSize: number = CSV_BATCH_SIZE,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let where: Awaited<ReturnType<typeof transactionsWhere>> | undefined;
  let afterId = 0;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      where = await transactionsWhere(db, familyId, filter, engine);
      controller.enqueue(encoder.encode(CSV_BOM + csvLine(CSV_HEADER)));
    },
    async pull(controller) {
      if (done || where === undefined) return;
      const rows = await db.transaction.findMany({
        where: { AND: [where, { id: { gt: afterId } }] },
        orderBy: { id: "asc" },
        take: batchSize,
        select: {
          id: true,
          occurredAt: true,
          description: true,
          amountCents: true,
          reconciled: true,
          account: { select: { name: true } },
          category: { select: { name: true } },
        },
      });
      const text = rows
        .map((t) =>
          transactionCsvLine({
            occurredAt: t.occurredAt,
            description: t.description,
            accountName: t.account.name,
            categoryName: t.category?.name ?? null,
            amountCents: BigInt(t.amountCents),
            reconciled: t.reconciled,
          }),
        )
        .join("");
      if (text) controller.enqueue(encoder.encode(text));
      const last = rows.at(-1);
      if (last === undefined || rows.length < batchSize) {
        done = true;
        controller.close();
      } else {
        afterId = last.id;
      }
    },
  });
}
