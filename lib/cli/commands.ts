import { readFileSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { join, resolve } from "node:path";
import type { ParseArgsConfig } from "node:util";
import { getEnv } from "../env.ts";
import { bootstrapDatabase } from "../app/bootstrap.ts";
import { createPrismaClient } from "../db/client.ts";
import { countRows } from "../db/row-counts.ts";
import { latestSchemaVersion } from "../db/schema.ts";
import { readLiveFacts } from "../db/read-live-facts.ts";
import { SUPERUSER_WARNING } from "../db/role-privileges.ts";
import { parseDatabaseUrl, redactDatabaseUrl } from "../db/url.ts";
import { resetUserPassword } from "../users/reset-user-password.ts";
import { SeedRefused, seedDatabase } from "../seed/seed-database.ts";
import { log } from "../log.ts";
import { DEFAULT_TIME_ZONE, isTimeZone } from "../time-zone.ts";
import { appendAuditEntry, readAuditEntries, verifyAuditTrail } from "../backup-restore/audit/audit-trail.ts";
import { deleteBackup, listBackups } from "../backup-restore/backups/catalogue.ts";
import { planRetention } from "../backup-restore/backups/plan-retention.ts";
import { createBackup, BackupError } from "../backup-restore/backups/create-backup.ts";
import { testFault } from "../backup-restore/faults.ts";
import { describeBackup } from "../backup-restore/inspect/describe-backup.ts";
import { restoreLimits } from "../backup-restore/spine/restore-context.ts";
import { previewRestore } from "../backup-restore/spine/preview-restore.ts";
import { restoreBackup } from "../backup-restore/spine/restore-backup.ts";
import { runDrill } from "../backup-restore/spine/run-drill.ts";
import { readBackupRecipients, readBackupSettings } from "../backup-restore/schedule/backup-settings.ts";
import { generateAgeKeyPair } from "../backup-restore/engine/wrapped-files.ts";
import { runScheduledBackup } from "../backup-restore/schedule/run-scheduled-backup.ts";
import { demoModeRefusal, exitCodeFor } from "../backup-restore/vocabulary.ts";
import { UsageError, type CommandResult } from "./command.ts";
import { exportJsonLines } from "./export-json-lines.ts";
import type { ProgressSink } from "../backup-restore/engine/progress.ts";
import {
  describeBackupFailure,
  describeOffsiteFailure,
  describeRefusal,
  describeRestoreResult,
} from "./restore-messages.ts";
import { offsiteSettings } from "../backup-restore/offsite/offsite-remote.ts";
import { pruneOffsite } from "../backup-restore/offsite/delete-offsite-copies.ts";
import { fetchRemoteBackup, listRemoteBackups } from "../backup-restore/offsite/remote-backups.ts";
import type { OffsiteCopy } from "../backup-restore/offsite/ship-backup-offsite.ts";
import { removeUpload } from "../backup-restore/uploads/upload-store.ts";
import { parseIdentityText, parsePassphraseText, type AgeKeys } from "../backup-restore/engine/age-keys.ts";

type Values = Record<string, string | boolean | undefined>;
type Command = {
  summary: string;
  options?: ParseArgsConfig["options"];
  run: (args: string[], values: Values, context?: CommandContext) => Promise<CommandResult>;
};

/** What main.ts set up before the command ran: where a restore's progress goes (progress-output.ts). */
export type CommandContext = { onProgress?: ProgressSink };

const target = () => parseDatabaseUrl(getEnv().DATABASE_URL);

/** The off-site copies as the JSON shows them: the record, plus the English for a failure's code. */
const describeOffsite = (copies: OffsiteCopy[] | undefined) =>
  copies ? { offsite: copies.map((c) => (c.code ? { ...c, error: describeOffsiteFailure(c.code) } : c)) } : {};

/** A verified backup whose off-site copy failed: still exit 1, the local file named (README, Off-site copies). */
function reportOffsiteFailure(path: string, copies: OffsiteCopy[] | undefined): boolean {
  const failed = copies?.find((c) => !c.ok);
  if (failed?.code)
    console.error(
      `[BACKUP] ${path} is verified and kept here; its off-site copy failed: ${describeOffsiteFailure(failed.code)} ${failed.details ?? ""}`,
    );
  return failed !== undefined;
}

/** `wimm backup --scheduled`: the scheduler's job, for a system cron; under the scheduler's locks. */
async function scheduledBackup(t: ReturnType<typeof target>, env: ReturnType<typeof getEnv>): Promise<CommandResult> {
  const outcome = await runScheduledBackup({
    dir: env.WIMM_BACKUP_DIR,
    target: t,
    env,
    startedAt: new Date(),
    force: true,
    actor: "cli",
  });
  if (outcome.kind === "done") {
    const f = outcome.file;
    return {
      exitCode: f.verified === true ? 0 : 1,
      output: {
        success: f.verified === true,
        path: f.path,
        file: f.filename,
        bytes: f.bytes,
        sha256: f.sha256,
        engine: f.engine,
        schemaVersion: f.schemaVersion,
        trigger: f.trigger,
        verified: f.verified,
        verification: f.verification,
        pruned: outcome.pruned,
        ...describeOffsite(f.offsite),
      },
    };
  }
  if (outcome.kind === "busy") return { exitCode: 2, output: { success: false, busy: true, details: outcome.why } };
  if (outcome.kind === "failed" && outcome.file) {
    const f = outcome.file;
    reportOffsiteFailure(f.path, f.offsite);
    return {
      exitCode: 1,
      output: {
        success: false,
        code: outcome.code,
        path: f.path,
        file: f.filename,
        sha256: f.sha256,
        verified: f.verified,
        ...describeOffsite(f.offsite),
        details: outcome.details,
      },
    };
  }
  return { exitCode: 1, output: { success: false, details: outcome.kind === "failed" ? outcome.details : "not due" } };
}

/** The family's time zone (retention's calendar), or UTC when the database cannot say. */
async function familyTimeZone(): Promise<string> {
  try {
    const db = await createPrismaClient(target(), { poolSize: 1 });
    try {
      const family = await db.family.findFirst({ orderBy: { id: "asc" }, select: { timeZone: true } });
      return family && isTimeZone(family.timeZone) ? family.timeZone : DEFAULT_TIME_ZONE;
    } finally {
      await db.$disconnect();
    }
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

/**
 * `restore FILE` and `import DIR`: one entry point, the wing's restore spine, whatever the
 * backup is; `confirmed` is the second "yes" a migration needs.
 */
async function runRestore(
  path: string,
  confirmed: boolean,
  onProgress?: ProgressSink,
  keys?: AgeKeys,
): Promise<CommandResult> {
  const env = getEnv();
  const t = target();
  await bootstrapDatabase(t, env);
  const fault = testFault();
  const result = await restoreBackup({
    file: path,
    actor: "cli",
    live: t,
    confirmMigration: confirmed,
    backupDir: env.WIMM_BACKUP_DIR,
    demoMode: env.DEMO_MODE,
    ...restoreLimits(env),
    ...(keys ? { keys } : {}),
    faults: { failVerification: fault.includes("verify"), failRollback: fault.includes("rollback") },
    ...(onProgress ? { onProgress } : {}),
  });
  if (!result.success && "rolledBack" in result && !result.rolledBack) {
    console.error(
      `\n!!! RESTORE FAILED AND ROLLBACK FAILED. Your data is in the safety backup: ${result.safetyBackup}\n`,
    );
  }
  return { exitCode: exitCodeFor(result), output: describeRestoreResult(result) };
}

/**
 * `restore --remote FILE`: the file fetched from the remote into a private upload file, its
 * SHA-256 checked against the remote's catalogue when it has a record, then the normal restore
 * of that file; the upload is removed whatever happens. A fetch that fails changes nothing
 * (exit 2). An encrypted `.age` copy is opened with --identity / --passphrase-file like a local one.
 */
async function restoreFromRemote(
  args: string[],
  confirmed: boolean,
  context?: CommandContext,
  keys?: AgeKeys,
): Promise<CommandResult> {
  const name = args[0];
  if (!name || args.length > 1)
    throw new UsageError("restore --remote takes one FILE: a name from wimm backups --remote");
  const env = getEnv();
  const demo = demoModeRefusal(env.DEMO_MODE, "restore");
  if (demo) return { exitCode: 2, output: { success: false, refused: true, code: demo, ...describeRefusal(demo) } };
  const offsite = offsiteSettings(env);
  if (!offsite) throw new UsageError("--remote needs WIMM_OFFSITE_REMOTE");
  const uploads = { dir: env.WIMM_UPLOAD_DIR, limitBytes: env.WIMM_MAX_UPLOAD_MB * 1024 * 1024 };
  const fetched = await fetchRemoteBackup(offsite, name, uploads);
  if (!fetched.ok) {
    console.error(`[OFFSITE] ${name} not restored: ${fetched.code} ${fetched.details}`);
    return {
      exitCode: 2,
      output: {
        success: false,
        refused: true,
        code: fetched.code,
        error: describeOffsiteFailure(fetched.code),
        details: fetched.details,
      },
    };
  }
  try {
    const restored = await runRestore(fetched.path, confirmed, context?.onProgress, keys);
    const remote = {
      file: name,
      bytes: fetched.bytes,
      sha256: fetched.sha256,
      checkedAgainstCatalogue: fetched.expectedSha256 !== null,
    };
    return { ...restored, output: { ...(restored.output as object), remote } };
  } finally {
    removeUpload(uploads.dir, fetched.id);
  }
}

const MIB = 1024 * 1024;

/** `--identity KEYFILE` (an age-keygen file) and `--passphrase-file FILE`: the keys to open an encrypted backup. */
const KEY_OPTIONS = { identity: { type: "string" }, "passphrase-file": { type: "string" } } as const;

function readKeys(values: Values): AgeKeys | undefined {
  const identityFile = values.identity as string | undefined;
  const passphraseFile = values["passphrase-file"] as string | undefined;
  if (identityFile === undefined && passphraseFile === undefined) return undefined;
  const keys: AgeKeys = { identities: [], passphrases: [] };
  if (identityFile !== undefined) {
    const parsed = parseIdentityText(readFileSync(existingFile(identityFile), "utf8"));
    if (!parsed.ok) throw new UsageError(`--identity ${identityFile}: ${parsed.problem}`);
    keys.identities.push(...parsed.identities);
  }
  if (passphraseFile !== undefined) {
    const passphrase = parsePassphraseText(readFileSync(existingFile(passphraseFile), "utf8"));
    if (passphrase === null) throw new UsageError(`--passphrase-file ${passphraseFile}: its first line is empty`);
    keys.passphrases.push(passphrase);
  }
  return keys;
}

function existingFile(path: string | undefined): string {
  if (!path) throw new UsageError("a FILE argument is needed");
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError(`no such file: ${path}`);
  }
  if (!stat.isFile()) throw new UsageError(`not a regular file: ${path}`);
  return path;
}

export const commands: Record<string, Command> = {
  detect: {
    summary:
      "detect FILE [--identity KEYFILE | --passphrase-file FILE]   what FILE is: its type (sqlite | postgresql | postgresql-sql | json-lines | unknown), compressed, encrypted, schema and app version, creation time, rows",
    options: KEY_OPTIONS,
    async run(args, values) {
      const file = args[0];
      if (!file) throw new UsageError("a FILE argument is needed");
      if (!statSync(file, { throwIfNoEntry: false })) throw new UsageError(`no such file: ${file}`);
      const env = getEnv();
      const keys = readKeys(values);
      const description = await describeBackup(file, {
        timeoutMs: env.WIMM_VALIDATE_TIMEOUT_S * 1000,
        unwrap: { scratchDir: env.WIMM_BACKUP_DIR, maxBytes: env.WIMM_MAX_UPLOAD_MB * MIB, ...(keys ? { keys } : {}) },
      });
      const bytes = statSync(file).isFile() ? { bytes: statSync(file).size } : {};
      return { exitCode: 0, output: { ...description, ...bytes } };
    },
  },

  inspect: {
    summary:
      "inspect FILE [--identity KEYFILE | --passphrase-file FILE]   what restoring FILE would do: its family, users, rows and balances beside the live ones, what would be lost; changes nothing",
    options: KEY_OPTIONS,
    async run(args, values) {
      if (args.length > 1) throw new UsageError(`inspect takes one FILE, got "${args.join(" ")}"`);
      const file = args[0];
      if (!file) throw new UsageError("a FILE argument is needed");
      // A file, or the folder of a JSON lines export (as `import` takes it).
      if (!statSync(file, { throwIfNoEntry: false })) throw new UsageError(`no such file: ${file}`);
      const env = getEnv();
      const keys = readKeys(values);
      // No bootstrapDatabase: it would create or upgrade the live schema, and inspect writes nothing.
      const result = await previewRestore({
        ...(keys ? { keys } : {}),
        file,
        live: target(),
        backupDir: env.WIMM_BACKUP_DIR,
        demoMode: env.DEMO_MODE,
        ...restoreLimits(env),
      });
      if (result.ok) return { exitCode: 0, output: result.preview };
      const note = result.details;
      console.error(`[INSPECT] a restore of this file would be refused: ${result.code}${note ? ` — ${note}` : ""}`);
      return {
        exitCode: 2,
        output: {
          ...result.preview,
          success: false,
          refused: true,
          code: result.code,
          ...(note ? { note } : {}),
          ...(result.values ? { values: result.values } : {}),
          ...describeRefusal(result.code, note, result.values),
        },
      };
    },
  },

  backup: {
    summary:
      "backup [--out DIR] [--no-verify] [--gzip] [--encrypt]   back up the live database (default DIR: WIMM_BACKUP_DIR) and verify what was written; --gzip compresses it (SQLite), --encrypt writes an age-encrypted copy beside it",
    options: {
      out: { type: "string" },
      "no-verify": { type: "boolean" },
      scheduled: { type: "boolean" },
      gzip: { type: "boolean" },
      encrypt: { type: "boolean" },
    },
    async run(args, values) {
      if (args.length) throw new UsageError(`backup takes no arguments, got "${args.join(" ")}"`);
      const env = getEnv();
      const demo = demoModeRefusal(env.DEMO_MODE, "backup");
      if (demo) {
        console.error("[BACKUP] refused: demo mode");
        return { exitCode: 2, output: { success: false, code: demo, ...describeRefusal(demo) } };
      }
      const t = target();
      const gzip = values.gzip === true;
      const encrypt = values.encrypt === true;
      if (values.scheduled === true && (values.out !== undefined || values["no-verify"] === true || gzip || encrypt))
        throw new UsageError(
          "--scheduled takes neither --out, --no-verify, --gzip nor --encrypt: it is the scheduler's own backup",
        );
      if (gzip && t.engine !== "sqlite")
        throw new UsageError(
          "--gzip applies to SQLite backups: a PostgreSQL backup is a custom-format dump (pg_dump -Fc), compressed already",
        );
      const offsite = offsiteSettings(env);
      // --encrypt asks for an encrypted copy; with a remote set, what leaves the server is
      // encrypted whenever there are keys to encrypt to.
      const recipients = encrypt || offsite ? readBackupRecipients(env.WIMM_BACKUP_DIR, env) : [];
      if (encrypt && recipients.length === 0)
        throw new UsageError(
          "--encrypt needs a public key to encrypt to: set WIMM_BACKUP_RECIPIENTS=age1… (comma-separated for several; `age-keygen` or `./bin/wimm keygen` makes a key pair — keep the private key off this server)",
        );
      await bootstrapDatabase(t, env);
      if (values.scheduled === true) return scheduledBackup(t, env);
      const skipVerify = values["no-verify"] === true;
      try {
        const file = await createBackup(t, {
          dir: (values.out as string | undefined) ?? env.WIMM_BACKUP_DIR,
          trigger: "manual",
          actor: "cli",
          verify: !skipVerify,
          pgDumpTimeoutMs: env.WIMM_PG_DUMP_TIMEOUT_S * 1000,
          ...(offsite ? { offsite } : {}),
          gzip,
          recipients,
        });
        // 0 only for a backup written and verified (or written, when asked not to verify), in
        // every form asked for, and with a remote set, copied there and read back equal: a
        // backup that exists only here is not what the admin configured, so a cron job must
        // see the difference.
        const written = file.verified === true || (skipVerify && file.verified === null);
        if (!written) console.error(`[BACKUP] ${file.path} is kept but not verified: ${file.verification}`);
        else if (file.protectionFailed)
          console.error(`[BACKUP] ${file.path} is kept, verified, but ${file.protectionFailed}`);
        const offsiteFailed = reportOffsiteFailure(file.path, file.offsite);
        const exitCode = written && !file.protectionFailed && (!encrypt || file.encrypted) && !offsiteFailed ? 0 : 1;
        const sealed = file.encrypted;
        return {
          exitCode,
          output: {
            success: exitCode === 0,
            // The file to carry away: the encrypted copy when there is one.
            path: sealed?.path ?? file.path,
            file: sealed?.file ?? file.filename,
            bytes: sealed?.bytes ?? file.bytes,
            sha256: sealed?.sha256 ?? file.sha256,
            ...(sealed ? { plainPath: file.path, plainSha256: file.sha256, recipients: sealed.recipients } : {}),
            compressed: file.compressed,
            encrypted: sealed !== undefined,
            plaintextSha256: file.plaintextSha256,
            engine: file.engine,
            schemaVersion: file.schemaVersion,
            trigger: file.trigger,
            verified: file.verified,
            verification: file.verification,
            ...describeOffsite(file.offsite),
            ...(file.protectionFailed ? { details: file.protectionFailed } : {}),
          },
        };
      } catch (error) {
        if (error instanceof BackupError) {
          const output = {
            success: false,
            code: error.code,
            error: describeBackupFailure(error.code),
            details: error.details,
          };
          // Refused before anything was written: 2; a write that failed: 1.
          return { exitCode: error.code === "BACKUP_NO_SPACE" ? 2 : 1, output };
        }
        throw error;
      }
    },
  },

  keygen: {
    summary:
      "keygen                     a new age key pair for encrypted backups: keep the private key (identity) off this server, set the public key (recipient) in WIMM_BACKUP_RECIPIENTS",
    async run(args) {
      if (args.length) throw new UsageError(`keygen takes no arguments, got "${args.join(" ")}"`);
      const { identity, recipient } = await generateAgeKeyPair();
      console.error(
        "[KEYGEN] the identity is the private key: save it (e.g. as key.txt, as age-keygen writes it) somewhere safe and not on this server; without it no encrypted backup can be restored",
      );
      return {
        exitCode: 0,
        output: {
          recipient,
          identity,
          keyFile: `# created: ${new Date().toISOString()}\n# public key: ${recipient}\n${identity}\n`,
        },
      };
    },
  },

  backups: {
    summary:
      "backups [--remote] [prune [--dry-run | --confirm]]   the backups in WIMM_BACKUP_DIR (--remote: on WIMM_OFFSITE_REMOTE) as a JSON array, newest first; prune applies the retention policy, off-site too",
    options: { "dry-run": { type: "boolean" }, confirm: { type: "boolean" }, remote: { type: "boolean" } },
    async run(args, values) {
      const env = getEnv();
      const dir = env.WIMM_BACKUP_DIR;
      const timeoutMs = env.WIMM_VALIDATE_TIMEOUT_S * 1000;
      const offsite = offsiteSettings(env);
      if (values.remote === true) {
        // From the remote alone: what a new server sees after the old one died.
        if (args.length) throw new UsageError("--remote lists the remote's backups; it takes no subcommand");
        if (!offsite) throw new UsageError("--remote needs WIMM_OFFSITE_REMOTE");
        const listing = await listRemoteBackups(offsite);
        if (!listing.ok) {
          console.error(`[OFFSITE] the remote could not be listed: ${listing.details}`);
          return {
            exitCode: 1,
            output: {
              success: false,
              code: listing.code,
              error: describeOffsiteFailure(listing.code),
              details: listing.details,
            },
          };
        }
        console.error(`[OFFSITE] ${listing.backups.length} backup(s) on ${listing.remote}`);
        return { exitCode: 0, output: listing.backups };
      }
      if (args.length === 0) {
        const entries = await listBackups(dir, { timeoutMs });
        return {
          exitCode: 0,
          output: entries.map((e) => ({
            file: e.file,
            path: join(resolve(dir), e.file),
            createdAt: e.createdAt,
            bytes: e.bytes,
            sha256: e.sha256,
            engine: e.engine,
            schemaVersion: e.schemaVersion,
            trigger: e.trigger,
            verified: e.verified,
            offsite: (e.offsite ?? []).map(({ remote, file, ok, checkedAt, code }) => ({
              remote,
              file,
              ok,
              checkedAt,
              ...(code ? { code } : {}),
            })),
            compressed: e.compressed === true,
            encrypted: e.encrypted !== undefined,
            ...(e.encrypted
              ? {
                  encryptedFile: e.encrypted.file,
                  encryptedPath: join(resolve(dir), e.encrypted.file),
                  encryptedSha256: e.encrypted.sha256,
                  recipients: e.encrypted.recipients,
                }
              : {}),
          })),
        };
      }
      if (args[0] !== "prune" || args.length > 1)
        throw new UsageError(`unknown backups subcommand "${args.join(" ")}"`);
      const dryRun = values["dry-run"] === true;
      if (dryRun && values.confirm === true) throw new UsageError("prune takes --dry-run or --confirm, not both");
      const entries = await listBackups(dir, { timeoutMs });
      // The policy the settings page saved (or WIMM_BACKUP_RETENTION's): the same the scheduler prunes by.
      const { retention } = readBackupSettings(dir, env);
      const plan = planRetention(
        entries.map((e) => ({ ...e, createdAt: new Date(e.createdAt) })),
        { now: new Date(), timeZone: await familyTimeZone(), policy: retention },
      );
      const listed = plan.prune.map(({ item, code, reason }) => ({
        file: item.file,
        path: join(resolve(dir), item.file),
        createdAt: item.createdAt.toISOString(),
        bytes: item.bytes,
        trigger: item.trigger,
        verified: item.verified,
        code,
        reason,
      }));
      if (dryRun) return { exitCode: 0, output: listed };
      if (values.confirm !== true) {
        console.error(
          `[PRUNE] ${listed.length} backup(s) would be deleted; run again with --confirm (or --dry-run to list them)`,
        );
        return { exitCode: 3, output: { success: false, needsConfirmation: true, wouldDelete: listed.length } };
      }
      for (const { item, reason } of plan.prune) {
        deleteBackup(dir, item.file);
        appendAuditEntry(dir, { actor: "cli", action: "prune", result: "ok", file: item.file, details: reason });
        // The same plan off-site: the newest verified backup and recent safety backups are never in it.
        if (offsite) await pruneOffsite(dir, offsite, item, "cli");
      }
      console.error(`[PRUNE] deleted ${listed.length} backup(s)`);
      return { exitCode: 0, output: listed };
    },
  },

  drill: {
    summary:
      "drill                      restore the newest backup into a scratch target, upgrade and check it; exit 0 proven, 1 not",
    async run(args) {
      if (args.length) throw new UsageError(`drill takes no arguments, got "${args.join(" ")}"`);
      const env = getEnv();
      const result = await runDrill(env.WIMM_BACKUP_DIR, target(), restoreLimits(env), "cli");
      return { exitCode: result.ok ? 0 : 1, output: result };
    },
  },

  restore: {
    summary:
      "restore [--remote] FILE [--confirm-migration] [--progress=json] [--identity KEYFILE | --passphrase-file FILE]   restore a backup (also .gz, .age) into the live database (--remote: FILE fetched from WIMM_OFFSITE_REMOTE)",
    options: {
      "confirm-migration": { type: "boolean" },
      progress: { type: "string" },
      remote: { type: "boolean" },
      ...KEY_OPTIONS,
    },
    async run(args, values, context) {
      const keys = readKeys(values);
      if (values.remote === true) return restoreFromRemote(args, values["confirm-migration"] === true, context, keys);
      return runRestore(existingFile(args[0]), values["confirm-migration"] === true, context?.onProgress, keys);
    },
  },

  export: {
    summary:
      "export --out DIR [--from FILE]   every record as JSON lines (+ manifest), from the live database or a SQLite file",
    options: { out: { type: "string" }, from: { type: "string" } },
    async run(_args, values) {
      const out = values.out as string | undefined;
      if (!out) throw new UsageError("export needs --out DIR");
      const from = values.from as string | undefined;
      return exportJsonLines(from ? existingFile(from) : undefined, out);
    },
  },

  import: {
    summary:
      "import DIR --confirm [--progress=json]   replace the live PostgreSQL data with a JSON lines export (a restore: safety dump first)",
    options: { confirm: { type: "boolean" }, progress: { type: "string" } },
    async run(args, values, context) {
      const dir = args[0];
      if (!dir) throw new UsageError("import needs a DIR");
      if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
        throw new UsageError(`not a directory: ${dir} (import reads a folder written by wimm export)`);
      return runRestore(dir, values.confirm === true, context?.onProgress);
    },
  },

  seed: {
    summary: "seed [--transactions N]   create the schema if needed and fill an empty database with demo data",
    options: { transactions: { type: "string" } },
    async run(_args, values) {
      const raw = (values.transactions as string | undefined) ?? "300";
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0 || n > 50_000_000)
        throw new UsageError(`--transactions must be an integer 0..50000000, got "${raw}"`);
      try {
        return { exitCode: 0, output: await seedDatabase(target(), getEnv(), { transactions: n }) };
      } catch (error) {
        if (error instanceof SeedRefused) {
          console.error(`[SEED] ${error.message}`);
          return { exitCode: 2, output: { success: false, error: error.message } };
        }
        throw error;
      }
    },
  },

  info: {
    summary: "info                       engine, database location, schema version, rows per table",
    async run() {
      const t = target();
      await bootstrapDatabase(t, getEnv());
      const rows = await countRows(t);
      // The plain driver, not a Prisma client: info is what operators and scripts run to see
      // that the app is there, and it should answer at once (issue 16).
      const facts = await readLiveFacts(t);
      if (facts.superuser) console.error(`[SECURITY] warning: ${SUPERUSER_WARNING}`);
      return {
        exitCode: 0,
        output: {
          engine: t.engine,
          location: t.engine === "sqlite" ? t.path : redactDatabaseUrl(t.url),
          ...(t.engine === "sqlite" ? { bytes: statSync(t.path).size } : {}),
          schemaVersion: facts.schemaVersion,
          appSchemaVersion: latestSchemaVersion(t.engine),
          family: facts.familyName,
          rows,
          ...(t.engine === "postgresql" ? { superuser: facts.superuser } : {}),
          warnings: facts.superuser ? [SUPERUSER_WARNING] : [],
        },
      };
    },
  },

  audit: {
    summary:
      "audit [--limit N] [--verify]   the audit trail (audit.jsonl in WIMM_BACKUP_DIR) as a JSON array, newest last; --verify checks its hash chain (exit 1: broken)",
    options: { limit: { type: "string" }, verify: { type: "boolean" } },
    // Files only, no database: the trail is what survives when the database is replaced.
    async run(args, values) {
      if (args.length) throw new UsageError(`audit takes no arguments, got "${args.join(" ")}"`);
      const dir = getEnv().WIMM_BACKUP_DIR;
      if (values.verify === true) {
        if (values.limit !== undefined) throw new UsageError("--verify checks the whole trail: no --limit with it");
        const verdict = await verifyAuditTrail(dir);
        if (!verdict.ok) console.error(`[AUDIT] the trail is broken: ${verdict.details}`);
        return { exitCode: verdict.ok ? 0 : 1, output: verdict };
      }
      const raw = values.limit as string | undefined;
      const limit = raw === undefined ? undefined : Number(raw);
      if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
        throw new UsageError(`--limit must be a positive integer, got "${raw}"`);
      return { exitCode: 0, output: await readAuditEntries(dir, { limit }) };
    },
  },

  "reset-password": {
    summary: "reset-password USERNAME    set a new password (prompted, or the first line of stdin)",
    async run(args) {
      const username = args[0];
      if (!username) throw new UsageError("reset-password needs a USERNAME");
      const t = target();
      await bootstrapDatabase(t, getEnv());
      const db = await createPrismaClient(t);
      const noSuchUser = (): CommandResult => {
        console.error(`[AUTH] no user named "${username}"`);
        return { exitCode: 2, output: { success: false, error: `No user named "${username}".` } };
      };
      try {
        const user = await db.user.findUnique({ where: { username } });
        if (!user) return noSuchUser();
        const password = await readNewPassword();
        if (password.length < 8) {
          console.error("[AUTH] the password must be at least 8 characters");
          return { exitCode: 2, output: { success: false, error: "The password must be at least 8 characters." } };
        }
        // The users page's reset (one transaction: a session cannot outlive the old password,
        // and the change is on record in the events table), run by the server's operator.
        const result = await resetUserPassword(db, {
          familyId: user.familyId,
          actor: "command-line",
          userId: user.id,
          password,
        });
        // USER_NOT_FOUND is the only refusal left (SELF_RESET needs an actor who is a user).
        if (!result.ok) return noSuchUser();
        log("AUTH", `password of ${username} reset; ${result.sessionsEnded} session(s) ended`);
        return { exitCode: 0, output: { success: true, username, sessionsEnded: result.sessionsEnded } };
      } finally {
        await db.$disconnect();
      }
    },
  },
};

export function usage(): string {
  return [
    "usage: ./bin/wimm <command> [options]",
    "",
    ...Object.values(commands).map((c) => `  ${c.summary}`),
    "",
    "The database is the one DATABASE_URL names (default file:./data/wimm.sqlite3).",
    "Exit codes: 0 done, 1 failed (rolled back), 2 refused, 3 needs confirmation, 4 failed and rollback failed.",
  ].join("\n");
}

/** From a terminal: asked twice, not echoed. Otherwise: the first line of stdin. */
async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const text = readFileSync(0, "utf8");
    return (text.split(/\r?\n/)[0] ?? "").trim();
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      // Hide what is typed: echo nothing but the prompt.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.includes(prompt)) process.stderr.write(prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stderr.write("\n");
        resolve(answer.trim());
      });
    });
  const first = await ask("New password: ");
  const second = await ask("Repeat it: ");
  if (first !== second) throw new UsageError("The two passwords differ.");
  return first;
}
