/**
 * DDL in the committed migrations that the Prisma models cannot say (the SQLite schema is
 * the source, and the PostgreSQL one is derived from it): the migration tests add it to a
 * database built from the models before comparing the two, and check that a migration
 * holds each statement.
 */
import type { Engine } from "../../lib/db/url.ts";

export const HAND_WRITTEN_DDL: Record<Engine, string[]> = {
  sqlite: [],
  postgresql: [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;",
    'CREATE INDEX "transactions_search_text_trgm_idx" ON "transactions" USING gin ("search_text" gin_trgm_ops);',
  ],
};
