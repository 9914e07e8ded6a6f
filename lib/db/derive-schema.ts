/**
 * The PostgreSQL schema is the SQLite schema with two blocks rewritten. Kept as a pure
 * function so the drift test can call it without touching the disk.
 */
export function deriveSchema(sqliteSchema: string, provider: "postgresql"): string {
  const header = "// GENERATED from prisma/schema.prisma by scripts/derive-schemas.ts. Do not edit.\n\n";
  let out = sqliteSchema;
  out = replaceOnce(
    out,
    /output\s*=\s*"\.\.\/lib\/generated\/sqlite"/,
    `output     = "../../lib/generated/${provider}"`,
  );
  out = replaceOnce(
    out,
    /datasource db \{[^}]*\}/,
    `datasource db {\n  provider = "${provider}"\n  url      = "postgresql://placeholder@localhost/placeholder"\n}`,
  );
  return header + out;
}

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`deriveSchema: pattern not found: ${pattern}`);
  return text.replace(pattern, replacement);
}
