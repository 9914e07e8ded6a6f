import pg from "pg";
import { describe, expect, it } from "vitest";
import { describePostgres } from "../../tests/helpers/databases.ts";
import { TableHasher } from "./checksum.ts";
import { hashTextExtended } from "./pg-hash.ts";
import { getTable } from "./tables.ts";

const SAMPLES = [
  "",
  "a",
  "abcd",
  "hello world!",
  "Padaria São João ☕",
  "שלום עולם",
  "tab\\tline\\nback\\\\slash",
  "€".repeat(1000),
  ...Array.from({ length: 30 }, (_, n) => "k".repeat(n) + "é"),
];

describePostgres("hashtextextended in JavaScript", () => {
  it("equals PostgreSQL's, byte for byte, for every length and seed", async () => {
    const client = new pg.Client({ connectionString: process.env.WIMM_PG_URL });
    await client.connect();
    try {
      for (const text of SAMPLES) {
        for (const seed of [0n, 1n, 0x57494d4d00000001n]) {
          const { rows } = await client.query<{ h: string }>("SELECT hashtextextended($1, $2)::text AS h", [
            text,
            seed.toString(),
          ]);
          const [hi, lo] = hashTextExtended(text, seed);
          expect(
            BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString(),
            `${JSON.stringify(text.slice(0, 12))} seed ${seed}`,
          ).toBe(rows[0]!.h);
        }
      }
    } finally {
      await client.end();
    }
  });
});

describe("table checksums", () => {
  const table = getTable("accounts");
  const digest = (rows: unknown[][]) => {
    const h = new TableHasher(table);
    for (const r of rows) h.addRow(r);
    return h.digest();
  };
  const rows = [
    [1, 1, "Conta Corrente", 0, "2026-01-01T00:00:00.000+00:00"],
    [2, 1, "Poupança", 1, "2026-01-02 03:04:05"],
  ];

  it("does not depend on row order, and reads both SQLite DateTime forms alike", () => {
    expect(digest(rows)).toEqual(digest([rows[1]!, rows[0]!]));
    expect(digest([[2, 1, "Poupança", true, "2026-01-02T03:04:05.000Z"]])).toEqual(digest([rows[1]!]));
  });

  it("changes with any one value", () => {
    const base = digest(rows);
    expect(digest([rows[0]!, [2, 1, "Poupanca", 1, "2026-01-02 03:04:05"]])).not.toEqual(base);
    expect(digest([rows[0]!, [2, 1, "Poupança", 0, "2026-01-02 03:04:05"]])).not.toEqual(base);
    expect(digest([rows[0]!, [2, 1, "Poupança", 1, "2026-01-02 03:04:05.001"]])).not.toEqual(base);
    expect(digest([rows[0]!]).rows).toBe(1);
  });
});
