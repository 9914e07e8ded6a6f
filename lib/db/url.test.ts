import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATABASE_URL, parseDatabaseUrl, redactDatabaseUrl } from "./url.ts";

describe("parseDatabaseUrl", () => {
  it("reads a relative file: URL against the working directory", () => {
    expect(parseDatabaseUrl("file:./data/x.sqlite3")).toEqual({
      engine: "sqlite",
      url: "file:./data/x.sqlite3",
      path: resolve("data/x.sqlite3"),
    });
    expect(parseDatabaseUrl("file:y.sqlite3")).toMatchObject({ engine: "sqlite", path: resolve("y.sqlite3") });
  });

  it("reads absolute file: URLs, with one or three slashes, and drops a query string", () => {
    expect(parseDatabaseUrl("file:/var/lib/wimm/db.sqlite3")).toMatchObject({ path: "/var/lib/wimm/db.sqlite3" });
    expect(parseDatabaseUrl("file:///var/lib/wimm/db.sqlite3")).toMatchObject({ path: "/var/lib/wimm/db.sqlite3" });
    expect(parseDatabaseUrl("file:/tmp/a.sqlite3?mode=rwc")).toMatchObject({ path: "/tmp/a.sqlite3" });
  });

  it("reads postgres:// and postgresql:// as PostgreSQL, keeping the URL as given", () => {
    for (const url of ["postgres://u:p@db:5432/wimm", "postgresql://u@127.0.0.1/wimm?sslmode=disable"]) {
      expect(parseDatabaseUrl(url)).toEqual({ engine: "postgresql", url });
    }
  });

  it("falls back to the embedded SQLite default when unset or blank", () => {
    const expected = { engine: "sqlite", url: DEFAULT_DATABASE_URL, path: resolve("data/wimm.sqlite3") };
    expect(parseDatabaseUrl(undefined)).toEqual(expected);
    expect(parseDatabaseUrl("")).toEqual(expected);
    expect(parseDatabaseUrl("   ")).toEqual(expected);
  });

  it("refuses anything else", () => {
    for (const bad of ["mysql://u@h/db", "sqlite:./x.db", "./data/wimm.sqlite3", "file:", "http://example.com"]) {
      expect(() => parseDatabaseUrl(bad), bad).toThrow();
    }
  });
});

describe("redactDatabaseUrl", () => {
  it("hides a PostgreSQL password and keeps everything else", () => {
    expect(redactDatabaseUrl("postgresql://wimm:s3cr3t@127.0.0.1:5432/wimm")).toBe(
      "postgresql://wimm:***@127.0.0.1:5432/wimm",
    );
    expect(redactDatabaseUrl("postgres://wimm:p%40ss@db/wimm?sslmode=require")).toBe(
      "postgres://wimm:***@db/wimm?sslmode=require",
    );
  });

  it("leaves URLs without a password as they are", () => {
    for (const url of ["postgresql://wimm@127.0.0.1/wimm", "postgresql://127.0.0.1/wimm", "file:./data/wimm.sqlite3"]) {
      expect(redactDatabaseUrl(url)).toBe(url);
    }
  });
});
