/**
 * First start: create the schema when the database is empty, then the family and its
 * `admin` user. The admin password is WIMM_ADMIN_PASSWORD or, when unset, a generated one
 * that is printed once (it is never stored in clear).
 */
import type { Env } from "../env.ts";
import { createPrismaClient, type Db } from "../db/client.ts";
import { readLiveFacts } from "../db/read-live-facts.ts";
import { ensureSchema, latestSchemaVersion, readSchemaVersion } from "../db/schema.ts";
import { createBackup } from "../backup-restore/backups/create-backup.ts";
import type { DatabaseTarget } from "../db/url.ts";
import { generatePassword, hashPassword } from "../auth/password.ts";
import { log } from "../log.ts";

export type BootstrapResult = { schemaCreated: boolean; familyCreated: boolean; generatedAdminPassword?: string };

export async function bootstrapDatabase(target: DatabaseTarget, env: Env, db?: Db): Promise<BootstrapResult> {
  const safetyBackup = await backUpBeforeUpgrade(target, env);
  let schema: Awaited<ReturnType<typeof ensureSchema>>;
  try {
    schema = await ensureSchema(target);
  } catch (error) {
    if (!safetyBackup) throw error;
    // The migrations ran in one transaction: the database is as it was.
    throw new Error(
      `The schema upgrade failed and was rolled back; the database is unchanged (${(error as Error).message}). ` +
        `A backup taken just before it: ${safetyBackup}`,
      { cause: error },
    );
  }
  if (schema.applied.length) log("SCHEMA", `applied ${schema.applied.join(", ")} (schema version ${schema.version})`);
  // Every start but the first finds its family: read with the plain driver, so that a CLI
  // command loads Prisma only when it needs it (a Prisma client takes longer to load than
  // `wimm info` may take in all).
  if (!db && (await readLiveFacts(target)).familyName !== null)
    return { schemaCreated: schema.created, familyCreated: false };
  const client = db ?? (await createPrismaClient(target));
  try {
    return { schemaCreated: schema.created, ...(await ensureFamily(client, env)) };
  } finally {
    if (!db) await client.$disconnect();
  }
}

/**
 * Pending migrations on a database that holds data: a backup of it first (`pre-upgrade`),
 * in the backup folder, so that an upgrade that goes wrong in a way no transaction can see
 * still has a way back. Returns its path, or null when nothing is pending.
 */
async function backUpBeforeUpgrade(target: DatabaseTarget, env: Env): Promise<string | null> {
  const current = await readSchemaVersion(target);
  const latest = latestSchemaVersion(target.engine);
  if (current === 0 || current >= latest) return null;
  log("SCHEMA", `schema version ${current}, this app's is ${latest}: backing up before the upgrade`);
  const file = await createBackup(target, {
    dir: env.WIMM_BACKUP_DIR,
    trigger: "pre-upgrade",
    actor: "system",
    pgDumpTimeoutMs: env.WIMM_PG_DUMP_TIMEOUT_S * 1000,
  });
  log("SCHEMA", `pre-upgrade backup created: ${file.path}`);
  return file.path;
}

async function ensureFamily(db: Db, env: Env): Promise<Omit<BootstrapResult, "schemaCreated">> {
  if ((await db.family.count()) > 0) return { familyCreated: false };
  const generated = env.WIMM_ADMIN_PASSWORD ? undefined : generatePassword();
  const passwordHash = await hashPassword(env.WIMM_ADMIN_PASSWORD ?? generated!);
  try {
    await db.$transaction(async (tx) => {
      const family = await tx.family.create({
        data: { name: env.WIMM_FAMILY_NAME, currency: env.WIMM_CURRENCY, timeZone: env.WIMM_TIME_ZONE },
      });
      await tx.user.create({
        data: { familyId: family.id, username: "admin", displayName: "Administrator", passwordHash, role: "admin" },
      });
      await tx.event.create({
        data: { kind: "first-start", message: `family "${family.name}" and user admin created` },
      });
    });
  } catch (error) {
    // Another process (the CLI, a second instance) won the race: its family stands.
    if ((await db.family.count()) > 0) return { familyCreated: false };
    throw error;
  }
  if (generated) {
    console.error(
      [
        "",
        "==================================================================",
        "  WIMM-Finance first start: the admin account was created.",
        "  username: admin",
        `  password: ${generated}`,
        "  It is shown only this once. Lost it? ./bin/wimm reset-password admin",
        "==================================================================",
        "",
      ].join("\n"),
    );
  }
  log("SETUP", `family "${env.WIMM_FAMILY_NAME}" and user admin created`);
  return { familyCreated: true, generatedAdminPassword: generated };
}
