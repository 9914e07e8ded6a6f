import type { Prisma } from "../generated/sqlite/client.ts";
import { foldForSearch } from "../db/fold.ts";
import type { Engine } from "../db/url.ts";
import { familyTransactionsWhere } from "./family-scope.ts";

/** What the transactions list (and its CSV export) is narrowed to; every part optional. */
export type TransactionFilter = {
  accountId?: number;
  categoryId?: number;
  /** YYYY-MM-DD, inclusive. */
  from?: string;
  /** YYYY-MM-DD, inclusive. */
  to?: string;
  /** Text looked for in the description, ignoring case and accents. */
  q?: string;
};

export const FILTER_KEYS = ["accountId", "categoryId", "from", "to", "q"] as const;

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function first(params: Params, key: string): string | undefined {
  const value = params instanceof URLSearchParams ? (params.get(key) ?? undefined) : params[key];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

function readId(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && /^\d+$/.test(value) && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function readDate(value: string | undefined): string | undefined {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : undefined;
}

/**
 * The filter of a URL's query (`?accountId=&categoryId=&from=&to=&q=`). A value that cannot
 * be read is left out rather than refused: a hand-edited URL still shows a list.
 */
export function parseTransactionFilter(params: Params): TransactionFilter {
  const filter: TransactionFilter = {};
  const accountId = readId(first(params, "accountId"));
  const categoryId = readId(first(params, "categoryId"));
  const from = readDate(first(params, "from"));
  const to = readDate(first(params, "to"));
  const q = first(params, "q")?.slice(0, 200);
  if (accountId !== undefined) filter.accountId = accountId;
  if (categoryId !== undefined) filter.categoryId = categoryId;
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  if (q !== undefined) filter.q = q;
  return filter;
}

/** The filter as query parameters (for links that keep it: paging, export). */
export function filterToSearchParams(filter: TransactionFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined) params.set(key, String(value));
  }
  return params;
}

export function isFiltered(filter: TransactionFilter): boolean {
  return FILTER_KEYS.some((key) => filter[key] !== undefined);
}

/**
 * The `where` of a filtered list of the family's transactions.
 *
 * Text search is a substring test on transactions.search_text, the description folded by
 * foldForSearch (lib/db/fold.ts: accents dropped, case folded) and written beside it on every
 * write; the query is folded the same way, so "sao joao", "SÃO JOÃO" and "São João" find the
 * same rows on both engines (PostgreSQL's ILIKE, used before, folded case but not accents).
 * Prisma's `contains` is a plain LIKE on both: on PostgreSQL the trigram index on search_text
 * serves it; on SQLite the rows are scanned (the connection's Unicode like(), lib/db/sqlite-
 * unicode-like.ts, still runs, with nothing left to fold).
 *
 * `%` and `_` in a search stay wildcards, alike on both engines: Prisma does not escape them,
 * and escaping them ourselves cannot work on both, because Prisma writes no ESCAPE clause —
 * PostgreSQL's LIKE then takes `\` as its escape character, SQLite's has none, so `\%`
 * would be a literal `%` on one engine and a backslash before a wildcard on the other. For
 * the same reason a backslash is doubled on PostgreSQL only: it is then a literal backslash
 * there, as it is on SQLite (and a search ending in one is not an invalid pattern).
 */
export async function transactionsWhere(
  db: Prisma.TransactionClient,
  familyId: number,
  filter: TransactionFilter,
  engine: Engine,
): Promise<Prisma.TransactionWhereInput> {
  const where: Prisma.TransactionWhereInput = { ...(await familyTransactionsWhere(db, familyId)) };
  if (filter.accountId !== undefined) where.accountId = filter.accountId;
  if (filter.categoryId !== undefined) where.categoryId = filter.categoryId;
  if (filter.from !== undefined || filter.to !== undefined) {
    where.occurredAt = {
      ...(filter.from !== undefined && { gte: new Date(`${filter.from}T00:00:00.000Z`) }),
      ...(filter.to !== undefined && { lte: new Date(`${filter.to}T23:59:59.999Z`) }),
    };
  }
  if (filter.q !== undefined) {
    const folded = foldForSearch(filter.q);
    where.searchText = { contains: engine === "postgresql" ? folded.replaceAll("\\", "\\\\") : folded };
  }
  return where;
}
