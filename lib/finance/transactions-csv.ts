import type { Db } from "../db/client.ts";
import type { Engine } from "../db/url.ts";
import { isoDay } from "./format-date.ts";
import { decimalMarkOf, formatCentsPlain, type DecimalMark } from "./format-plain-amount.ts";
import { transactionsWhere, type TransactionFilter } from "./transaction-filter.ts";

/** Spreadsheet apps read a file as UTF-8 only when it starts with this byte order mark. */
export const CSV_BOM = "\uFEFF";

/** How many rows one query of the export reads. */
export const CSV_BATCH_SIZE = 5000;

/** The header and the reconciled flag's words, in the user's language (from the messages). */
export type CsvLabels = {
  date: string;
  description: string;
  account: string;
  category: string;
  amount: string;
  reconciled: string;
  yes: string;
  no: string;
};

/**
 * A CSV dialect: what a spreadsheet opening the file with a double-click expects in the user's
 * language. Excel and LibreOffice take the list separator and the decimal mark from the
 * system's regional settings: where the decimal mark is a comma (Brazil, most of Europe) the
 * list separator is a semicolon, a comma-separated file lands in one column and `1234.56` is
 * read as text. So those locales get `;` and `1234,56`; English gets `,` and `1234.56`. Dates
 * stay ISO (YYYY-MM-DD) in every dialect: unambiguous, and read as dates by both.
 */
export type CsvDialect = { separator: "," | ";"; decimalMark: DecimalMark; labels: CsvLabels };

export function csvDialectFor(locale: string, labels: CsvLabels): CsvDialect {
  const decimalMark = decimalMarkOf(locale);
  return { separator: decimalMark === "," ? ";" : ",", decimalMark, labels };
}

/**
 * One CSV field (RFC 4180): quoted, with quotes doubled, when it holds the dialect's separator,
 * a quote or a line break. (An amount with a decimal comma is never quoted: its dialect
 * separates with `;`.)
 */
export function csvField(value: string, separator: CsvDialect["separator"] = ","): string {
  const special = separator === ";" ? /[";\r\n]/ : /[",\r\n]/;
  return special.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A text a spreadsheet must not run: one starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return is read as a formula by Excel and LibreOffice (OWASP "CSV injection"), so it gets a
 * leading apostrophe. Only for free text (descriptions, names), never for the amounts.
 */
export function csvText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvLine(fields: readonly string[], separator: CsvDialect["separator"]): string {
  return `${fields.map((f) => csvField(f, separator)).join(separator)}\r\n`;
}

export function csvHeaderLine(dialect: CsvDialect): string {
  const l = dialect.labels;
  return csvLine([l.date, l.description, l.account, l.category, l.amount, l.reconciled], dialect.separator);
}

export type CsvTransaction = {
  occurredAt: Date;
  description: string;
  accountName: string;
  categoryName: string | null;
  amountCents: bigint;
  reconciled: boolean;
};

export function transactionCsvLine(t: CsvTransaction, dialect: CsvDialect): string {
  return csvLine(
    [
      isoDay(t.occurredAt),
      csvText(t.description),
      csvText(t.accountName),
      csvText(t.categoryName ?? ""),
      formatCentsPlain(t.amountCents, dialect.decimalMark),
      t.reconciled ? dialect.labels.yes : dialect.labels.no,
    ],
    dialect.separator,
  );
}

/** The export's file name: the filter's period when it has one, else the family's today. */
export function csvFileName(filter: { from?: string; to?: string }, today: string): string {
  return filter.from !== undefined && filter.to !== undefined
    ? `transactions-${filter.from}-${filter.to}.csv`
    : `transactions-${today}.csv`;
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
  dialect: CsvDialect,
  batchSize: number = CSV_BATCH_SIZE,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let where: Awaited<ReturnType<typeof transactionsWhere>> | undefined;
  let afterId = 0;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      where = await transactionsWhere(db, familyId, filter, engine);
      controller.enqueue(encoder.encode(CSV_BOM + csvHeaderLine(dialect)));
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
          transactionCsvLine(
            {
              occurredAt: t.occurredAt,
              description: t.description,
              accountName: t.account.name,
              categoryName: t.category?.name ?? null,
              amountCents: BigInt(t.amountCents),
              reconciled: t.reconciled,
            },
            dialect,
          ),
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
