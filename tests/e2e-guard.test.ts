import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assertLocalDatabase } from "../e2e/support/assert-local-database.ts";

describe("assertLocalDatabase (the e2e guard)", () => {
  const dir = mkdtempSync(join(tmpdir(), "wimm-e2e-guard-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("allows a SQLite file in a wimm-e2e* directory under the temp dir, existing or not", () => {
    expect(() => assertLocalDatabase(`file:${join(dir, "wimm.sqlite3")}`)).not.toThrow();
    expect(() => assertLocalDatabase(`file:${join(dir, "not-yet", "wimm.sqlite3")}`)).not.toThrow();
  });

  it("allows a wimm_e2e* PostgreSQL database on 127.0.0.1", () => {
    expect(() => assertLocalDatabase("postgresql://wimm:wimm@127.0.0.1:5432/wimm_e2e_abc123")).not.toThrow();
    expect(() => assertLocalDatabase("postgres://wimm@127.0.0.1/wimm_e2e")).not.toThrow();
  });

  it.each([
    [undefined],
    [""],
    ["file:./data/wimm.sqlite3"],
    ["file:/var/lib/wimm/wimm.sqlite3"],
    [`file:${join(tmpdir(), "wimm.sqlite3")}`],
    [`file:${join(tmpdir(), "..", "etc", "wimm.sqlite3")}`],
    [`file:${join(tmpdir(), "wimm-clone", "data", "wimm.sqlite3")}`],
    [`file:${join(process.cwd(), "data", "wimm.sqlite3")}`],
    ["postgresql://wimm:wimm@db.example.com:5432/wimm_e2e_x"],
    ["postgresql://wimm:wimm@localhost:5432/wimm_e2e_x"],
    ["postgresql://wimm:wimm@127.0.0.1:5432/wimm"],
    ["postgresql://wimm:wimm@127.0.0.1:5432/production_wimm_e2e"],
    ["postgresql://wimm:wimm@127.0.0.1:5432/wimm_e2e%22;drop"],
    ["mysql://root@127.0.0.1/wimm_e2e"],
  ])("refuses %s", (url) => {
    expect(() => assertLocalDatabase(url)).toThrow(/refusing/);
  });
});
