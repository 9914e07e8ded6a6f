import { streamInSnapshot } from "../db/read-snapshot.ts";
import type { DatabaseTarget } from "../db/url.ts";
import { isoDay } from "./format-date.ts";
import { decimalMarkOf, formatCentsPlain, type DecimalMark } from "./format-plain-amount.ts";
import { TRANSACTION_ROW_SELECT } from "./list-transactions.ts";
import { transactionsWhere, type TransactionFilter } from "./transaction-filter.ts";

/** Spreadsheet apps read a file as UTF-8 only when it starts with this byte order mark. */
export const CSV_BOM = "\uFEFF";

/** How many rows one query of the export reads. */
export const CSV_BATCH_SIZE = 5000;

/**
 * The longest an export may take. It holds one snapshot all along (on SQLite the WAL cannot
 * be checkpointed past it; on PostgreSQL a restore from another process waits for its
 * locks), so a reader slower than this gets an error, never a shorter file.
 */
export const CSV_TIME_LIMIT_MS = 10 * 60_000;

/** What the export reads (and PostgreSQL locks for as long as it runs). */
const CSV_TABLES = ["transactions", "accounts", "categories"] as const;

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

/** One transaction's fields, in the header's order (csvHeaderLine). */
export function transactionCsvFields(t: CsvTransaction, dialect: CsvDialect): string[] {
  return [
    isoDay(t.occurredAt),
    csvText(t.description),
    csvText(t.accountName),
    csvText(t.categoryName ?? ""),
    formatCentsPlain(t.amountCents, dialect.decimalMark),
    t.reconciled ? dialect.labels.yes : dialect.labels.no,
  ];
}

export function transactionCsvLine(t: CsvTransaction, dialect: CsvDialect): string {
  return csvLine(transactionCsvFields(t, dialect), dialect.separator);
}

/** The export's file name: the filter's period when it has one, else the family's today. */
export function csvFileName(filter: { from?: string; to?: string }, today: string): string {
  return filter.from !== undefined && filter.to !== undefined
    ? `transactions-${filter.from}-${filter.to}.csv`
    : `transactions-${today}.csv`;
}

type CsvRow = {
  id: number;
  occurredAt: Date;
  description: string;
  amountCents: bigint | number;
  reconciled: boolean;
  account: { name: string };
  category: { name: string } | null;
};

function csvTransactionOf(t: CsvRow): CsvTransaction {
  return {
    occurredAt: t.occurredAt,
    description: t.description,
    accountName: t.account.name,
    categoryName: t.category?.name ?? null,
    amountCents: BigInt(t.amountCents),
    reconciled: t.reconciled,
  };
}

export type CsvStreamOptions = {
  batchSize?: number;
  timeoutMs?: number;
  /** Ends the export with an error (a restore in this process, before it replaces the data). */
  signal?: AbortSignal;
  /** Called once the export's read is over, however it ended. */
  onEnd?: () => void;
};

/**
 * The filtered transactions as a CSV byte stream (BOM, header, one line per transaction, in
 * the order they were recorded). Rows are read `batchSize` at a time after the last id seen,
 * and only when the reader asks for more, so a million rows never sit in memory together;
 * all of them in one snapshot on a connection of the export's own (lib/db/read-snapshot.ts),
 * so that rows written, deleted or restored meanwhile never mix into the file: it is the data
 * as it was when the export began, to the last row, or the stream errors.
 */
export function streamTransactionsCsv(
  target: DatabaseTarget,
  familyId: number,
  filter: TransactionFilter,
  dialect: CsvDialect,
  options: CsvStreamOptions = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batchSize = options.batchSize ?? CSV_BATCH_SIZE;
  return streamInSnapshot(target, snapshotOptions(options), async (db, write) => {
    const where = await transactionsWhere(db, familyId, filter, target.engine);
    await write(encoder.encode(CSV_BOM + csvHeaderLine(dialect)));
    let afterId = 0;
    for (;;) {
      const rows = await db.transaction.findMany({
        where: { AND: [where, { id: { gt: afterId } }] },
        orderBy: { id: "asc" },
        take: batchSize,
        select: TRANSACTION_ROW_SELECT,
      });
      const text = rows.map((t) => transactionCsvLine(csvTransactionOf(t), dialect)).join("");
      if (text) await write(encoder.encode(text));
      const last = rows.at(-1);
      if (last === undefined || rows.length < batchSize) return;
      afterId = last.id;
    }
  });
}

/** One snapshot of the tables a CSV reads, for both exports. */
function snapshotOptions(options: CsvStreamOptions) {
  return {
    tables: CSV_TABLES,
    timeoutMs: options.timeoutMs ?? CSV_TIME_LIMIT_MS,
    ...(options.signal && { signal: options.signal }),
    ...(options.onEnd && { onEnd: options.onEnd }),
  };
}

/** The two columns the CSV of a restore's losses adds after the export's own. */
export type MarkedCsvLabels = { id: string; status: string };

/**
 * Chosen transactions, by id, in the export's format plus two columns: the row's id and a
 * mark (for a restore's preview: "lost" or "changed"). The same snapshot and batching as
 * streamTransactionsCsv; ids not in the family (or gone since they were chosen) are skipped.
 */
export function streamMarkedTransactionsCsv(
  target: DatabaseTarget,
  familyId: number,
  marks: ReadonlyMap<number, string>,
  dialect: CsvDialect,
  labels: MarkedCsvLabels,
  options: CsvStreamOptions = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batchSize = options.batchSize ?? CSV_BATCH_SIZE;
  const ids = [...marks.keys()].sort((a, b) => a - b);
  return streamInSnapshot(target, snapshotOptions(options), async (db, write) => {
    const where = await transactionsWhere(db, familyId, {}, target.engine);
    const l = dialect.labels;
    const header = [l.date, l.description, l.account, l.category, l.amount, l.reconciled, labels.id, labels.status];
    await write(encoder.encode(CSV_BOM + csvLine(header, dialect.separator)));
    for (let start = 0; start < ids.length; start += batchSize) {
      const rows = await db.transaction.findMany({
        where: { AND: [where, { id: { in: ids.slice(start, start + batchSize) } }] },
        orderBy: { id: "asc" },
        select: TRANSACTION_ROW_SELECT,
      });
      const text = rows
        .map((t) =>
          csvLine(
            [...transactionCsvFields(csvTransactionOf(t), dialect), String(t.id), marks.get(t.id) ?? ""],
            dialect.separator,
          ),
        )
        .join("");
      if (text) await write(encoder.encode(text));
    }
  });
}
