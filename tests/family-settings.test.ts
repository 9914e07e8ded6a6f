/**
 * The family's settings on real SQLite and PostgreSQL databases: the first start takes the
 * currency and time zone from the environment, an admin changes them later, and the time
 * zone (`families.time_zone`) reads back the same on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { bootstrapDatabase } from "../lib/app/bootstrap.ts";
import { createPrismaClient, type Db } from "../lib/db/client.ts";
import { getEnv } from "../lib/env.ts";
import { getFamily } from "../lib/finance/get-family.ts";
import { updateFamily } from "../lib/finance/update-family.ts";
import { createTarget, enginesUnderTest, querySql, type TestDatabase } from "./helpers/databases.ts";

const envOf = (vars: Record<string, string>) => getEnv({ NODE_ENV: "test", ...vars });

describe("environment for the first start", () => {
  it("accepts ISO currencies and IANA zones, and refuses others", () => {
    const env = envOf({ WIMM_CURRENCY: "eur", WIMM_TIME_ZONE: "Europe/Lisbon" });
    expect(env.WIMM_CURRENCY).toBe("EUR");
    expect(env.WIMM_TIME_ZONE).toBe("Europe/Lisbon");
    expect(() => envOf({ WIMM_CURRENCY: "XYZW" })).toThrow(/WIMM_CURRENCY/);
    expect(() => envOf({ WIMM_CURRENCY: "ABC" })).toThrow(/WIMM_CURRENCY/);
    expect(() => envOf({ WIMM_TIME_ZONE: "Mars/Olympus_Mons" })).toThrow(/WIMM_TIME_ZONE/);
    expect(envOf({}).WIMM_CURRENCY).toBe("BRL");
  });
});

describe.each(enginesUnderTest)("family settings on %s", (engine) => {
  let database: TestDatabase;
  let db: Db;
  let familyId: number;

  beforeAll(async () => {
    database = await createTarget(engine);
    const env = envOf({
      WIMM_ADMIN_PASSWORD: "family-settings-pw",
      WIMM_FAMILY_NAME: "Família Teste",
      WIMM_CURRENCY: "USD",
      WIMM_TIME_ZONE: "America/Sao_Paulo",
    });
    await bootstrapDatabase(database.target, env);
    db = await createPrismaClient(database.target);
    familyId = (await db.family.findFirstOrThrow()).id;
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.cleanup();
  });

  it("creates the family with the environment's currency and time zone", async () => {
    expect(await getFamily(db, familyId)).toEqual({
      id: familyId,
      name: "Família Teste",
      currency: "USD",
      timeZone: "America/Sao_Paulo",
    });
    const rows = await querySql<{ time_zone: string }>(database.target, "SELECT time_zone FROM families");
    expect(rows).toEqual([{ time_zone: "America/Sao_Paulo" }]);
  });

  it("saves name, currency and time zone together", async () => {
    await updateFamily(db, familyId, { name: "Família Conceição ☕", currency: "EUR", timeZone: "Asia/Tokyo" });
    expect(await getFamily(db, familyId)).toEqual({
      id: familyId,
      name: "Família Conceição ☕",
      currency: "EUR",
      timeZone: "Asia/Tokyo",
    });
    const rows = await querySql<{ time_zone: string }>(database.target, "SELECT time_zone FROM families WHERE id = ?", [
      familyId,
    ]);
    expect(rows).toEqual([{ time_zone: "Asia/Tokyo" }]);
    // Schema 2 keeps the zone only in its column: nothing is left in app_meta.
    const meta = await querySql(database.target, "SELECT key FROM app_meta WHERE key = 'family_time_zone'");
    expect(meta).toEqual([]);
  });

  it("falls back to UTC when the stored zone is unknown or empty", async () => {
    await db.family.update({ where: { id: familyId }, data: { timeZone: "Nowhere/Atlantis" } });
    expect((await getFamily(db, familyId)).timeZone).toBe("UTC");
    await db.family.update({ where: { id: familyId }, data: { timeZone: "" } });
    expect((await getFamily(db, familyId)).timeZone).toBe("UTC");
  });
});
