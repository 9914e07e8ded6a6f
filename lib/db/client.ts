/**
 * The one place that creates Prisma clients. The app, the CLI, the restore code and the
 * tests all get their clients here, for any target (the live database, a scratch file, a
 * second PostgreSQL database), so the engine is decided once, from the URL.
 *
 * The clients live in prisma-clients.ts, imported on the first call rather than with this
 * module: loading Prisma's runtime costs more than most CLI commands take in all, and many
 * of them never open a client.
 */
import type { PrismaClient as SqlitePrismaClient } from "../generated/sqlite/client.ts";
import type { DatabaseTarget } from "./url.ts";

export type Db = InstanceType<typeof SqlitePrismaClient>;

export async function createPrismaClient(target: DatabaseTarget, options: { poolSize?: number } = {}): Promise<Db> {
  const { openPrismaClient } = await import("./prisma-clients.ts");
  return openPrismaClient(target, options);
}
