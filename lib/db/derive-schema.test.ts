import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deriveSchema } from "./derive-schema.ts";

const read = (path: string) => readFileSync(join(process.cwd(), path), "utf8");

describe("deriveSchema", () => {
  it("derives exactly the committed prisma/postgresql/schema.prisma from prisma/schema.prisma", () => {
    // Fails when someone edits the models without `npm run generate`, or edits the derived file.
    expect(deriveSchema(read("prisma/schema.prisma"), "postgresql")).toBe(read("prisma/postgresql/schema.prisma"));
  });

  it("rewrites only the generator output and the datasource; the models are copied as they are", () => {
    const source = read("prisma/schema.prisma");
    const derived = deriveSchema(source, "postgresql");
    expect(derived).toContain('output     = "../../lib/generated/postgresql"');
    expect(derived).toMatch(/datasource db \{\s*provider = "postgresql"/);
    expect(derived).not.toContain('provider = "sqlite"');
    const models = (text: string) => text.slice(text.search(/^model /m));
    expect(models(derived)).toBe(models(source));
  });

  it("throws when the source no longer has the blocks it rewrites", () => {
    expect(() => deriveSchema("model A { id Int @id }", "postgresql")).toThrow(/pattern not found/);
  });
});
