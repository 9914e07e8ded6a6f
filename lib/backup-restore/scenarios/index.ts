/**
 * The scenario table: one module per scenario that runs (spine/plan-restore.ts decides
 * which). A restore and a recovery look a scenario up here, by the name the plan or the
 * journal gives; nothing else in the wing names one.
 */
import type { Scenario } from "../vocabulary.ts";
import { jsonLinesToPostgresql } from "./json-lines-to-postgresql.ts";
import { postgresqlToPostgresql } from "./postgresql-to-postgresql.ts";
import { sqliteToPostgresql } from "./sqlite-to-postgresql.ts";
import { sqliteToSqlite } from "./sqlite-to-sqlite.ts";
import type { ScenarioModule } from "./types.ts";

export const SCENARIOS: Record<Scenario, ScenarioModule> = {
  "sqlite-to-sqlite": sqliteToSqlite,
  "postgresql-to-postgresql": postgresqlToPostgresql,
  "sqlite-to-postgresql": sqliteToPostgresql,
  "json-lines-to-postgresql": jsonLinesToPostgresql,
};
