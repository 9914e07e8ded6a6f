import "server-only";
import { cache } from "react";

import { getDb } from "../app/live-database.ts";
import { getFamily, type FamilySummary } from "../finance/get-family.ts";

/** The family, read once per request however many components (and next-intl) ask. */
export const getCurrentFamily = cache(async (familyId: number): Promise<FamilySummary> =>
  getFamily(await getDb(), familyId),
);
