import pg from "pg";

/**
 * A pg.Pool for Prisma's Wasm schema engine only (prisma CLI: generate, migrate diff).
 *
 * Schema introspection reads catalog columns of type `name` (oid 19) and `"char"` (oid 18),
 * and arrays of them (1003, 1002), which @prisma/adapter-pg 6.19 cannot deserialize
 * ("Column type 'name' could not be deserialized"; see docs/ARCHITECTURE.md, "Prisma on these machines"). Both are plain
 * text on the wire, so we relabel them as `text` (25) / `text[]` (1009) in each result.
 * The running app never uses this pool.
 */
const RELABEL: Record<number, number> = { 19: 25, 18: 25, 1003: 1009, 1002: 1009 };

export class IntrospectionPool extends pg.Pool {
  // pg's overloads are awkward to forward with types; the behaviour is a pass-through.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...args);
    if (result && typeof result.then === "function") {
      return result.then((res: pg.QueryResult) => {
        for (const field of res?.fields ?? []) {
          const to = RELABEL[field.dataTypeID];
          if (to !== undefined) field.dataTypeID = to;
        }
        return res;
      });
    }
    return result;
  }
}
