import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

import { registerUnicodeLike } from "./sqlite-unicode-like.ts";

describe("SQLite LIKE with Unicode case folding", () => {
  const db = new Database(":memory:");
  registerUnicodeLike(db);
  afterAll(() => db.close());
  const like = (text: string | null, pattern: string | null, escape?: string) =>
    escape === undefined
      ? db.prepare("SELECT ? LIKE ? AS r").get(text, pattern)
      : db.prepare("SELECT ? LIKE ? ESCAPE ? AS r").get(text, pattern, escape);

  it("folds case beyond ASCII, as PostgreSQL's ILIKE does", () => {
    expect(like("Padaria São João ☕", "%SÃO JOÃO%")).toEqual({ r: 1 });
    expect(like("ÉCOLE", "%école%")).toEqual({ r: 1 });
    expect(like("Straße", "%STRASSE%")).toEqual({ r: 0 }); // no full case folding, as ILIKE
    expect(like("São", "%sao%")).toEqual({ r: 0 }); // accents still count
  });

  it("keeps LIKE's own rules: % any run, _ one character, ESCAPE, NULL", () => {
    expect(like("abc", "a_c")).toEqual({ r: 1 });
    expect(like("a☕c", "a_c")).toEqual({ r: 1 });
    expect(like("abbc", "a_c")).toEqual({ r: 0 });
    expect(like("two\nlines", "two%lines")).toEqual({ r: 1 });
    expect(like("50% off", "%50!%%", "!")).toEqual({ r: 1 });
    expect(like("50 off", "%50!%%", "!")).toEqual({ r: 0 });
    expect(like("a.c", "a.c")).toEqual({ r: 1 });
    expect(like("abc", "a.c")).toEqual({ r: 0 });
    expect(like("(x)", "(x)")).toEqual({ r: 1 });
    expect(like(null, "%")).toEqual({ r: null });
  });

  it("is what the LIKE operator runs on that connection", () => {
    db.exec("CREATE TABLE t (d TEXT); INSERT INTO t VALUES ('Água'), ('água'), ('AGUA')");
    expect(db.prepare("SELECT d FROM t WHERE d LIKE '%ÁGUA%' ORDER BY d").all()).toEqual([
      { d: "Água" },
      { d: "água" },
    ]);
  });
});
