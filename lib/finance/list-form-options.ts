import type { Db } from "../db/client.ts";

export type Option = { id: number; name: string };

/** The open accounts and categories a new transaction may use. */
export async function listFormOptions(db: Db, familyId: number): Promise<{ accounts: Option[]; categories: Option[] }> {
  const query = { where: { familyId, archived: false }, select: { id: true, name: true } } as const;
  const orderBy = [{ name: "asc" as const }, { id: "asc" as const }];
  const [accounts, categories] = await Promise.all([
    db.account.findMany({ ...query, orderBy }),
    db.category.findMany({ ...query, orderBy }),
  ]);
  return { accounts, categories };
}

/** Every account and category of the family, archived ones included, to filter the list by. */
export async function listFilterOptions(
  db: Db,
  familyId: number,
): Promise<{ accounts: (Option & { archived: boolean })[]; categories: (Option & { archived: boolean })[] }> {
  const query = { where: { familyId }, select: { id: true, name: true, archived: true } } as const;
  const orderBy = [{ archived: "asc" as const }, { name: "asc" as const }, { id: "asc" as const }];
  const [accounts, categories] = await Promise.all([
    db.account.findMany({ ...query, orderBy }),
    db.category.findMany({ ...query, orderBy }),
  ]);
  return { accounts, categories };
}
