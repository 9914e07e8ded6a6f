import type { Db } from "../db/client.ts";

/** Accounts and categories are managed alike: a name, and archived or not. */
export type ListKind = "account" | "category";

export type SaveNameResult = { ok: true; id: number } | { ok: false; reason: "NOT_FOUND" | "NAME_TAKEN" };

function table(db: Db, kind: ListKind) {
  // The two delegates have the same shape for what is used here.
  return (kind === "account" ? db.account : db.category) as unknown as Db["account"];
}

/**
 * Creates (no `id`) or renames an account or category of the family. Two of the same kind
 * may not share a name, ignoring case, or the selects could not tell them apart.
 */
export async function saveAccountOrCategory(
  db: Db,
  input: { familyId: number; kind: ListKind; id?: number; name: string },
): Promise<SaveNameResult> {
  const rows = table(db, input.kind);
  const siblings = await rows.findMany({ where: { familyId: input.familyId }, select: { id: true, name: true } });
  if (input.id !== undefined && !siblings.some((s) => s.id === input.id)) return { ok: false, reason: "NOT_FOUND" };
  const wanted = input.name.toLocaleLowerCase();
  if (siblings.some((s) => s.id !== input.id && s.name.toLocaleLowerCase() === wanted)) {
    return { ok: false, reason: "NAME_TAKEN" };
  }
  if (input.id === undefined) {
    const created = await rows.create({ data: { familyId: input.familyId, name: input.name }, select: { id: true } });
    return { ok: true, id: created.id };
  }
  await rows.updateMany({ where: { id: input.id, familyId: input.familyId }, data: { name: input.name } });
  return { ok: true, id: input.id };
}

/**
 * Archives or reopens an account or category of the family. Nothing is ever deleted: an
 * archived account keeps its transactions (and they keep counting in the list and export);
 * it only leaves the choices for new transactions and the dashboard.
 */
export async function setAccountOrCategoryArchived(
  db: Db,
  input: { familyId: number; kind: ListKind; id: number; archived: boolean },
): Promise<boolean> {
  const { count } = await table(db, input.kind).updateMany({
    where: { id: input.id, familyId: input.familyId },
    data: { archived: input.archived },
  });
  return count === 1;
}
