import type { Prisma } from "../generated/sqlite/client.ts";
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
  /** Text looked for in the description, case-insensitively. */
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
 * Text search must match alike on both engines. On SQLite, Prisma's `contains` becomes LIKE,
 * which the app's connection replaces with a Unicode case-folding one (lib/db/sqlite-unicode-
 * like.ts; SQLite's own folds only A–Z), and Prisma refuses `mode: "insensitive"` there;
 * PostgreSQL's LIKE is case-sensitive, so there `mode: "insensitive"` (ILIKE) is used. The
 * app is typed against the SQLite client, which has no `mode`, hence the cast.
 *
 * Known limits: accents count ("sao" does not find "São") on both engines — folding them needs
 * a normalized search column (a schema change) or PostgreSQL's unaccent extension, which the
 * app's non-superuser role cannot create. Prisma does not escape `%` and `_` in `contains`, so
 * both act as wildcards in a search (alike on both engines).
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
    where.description =
      engine === "postgresql"
        ? ({ contains: filter.q, mode: "insensitive" } as Prisma.StringFilter)
        : { contains: filter.q };
  }
  return where;
}
