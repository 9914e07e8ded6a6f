/**
 * ./bin/wimm <command>: the same core as the web app, headless. JSON on stdout, human
 * messages on stderr, exit codes as in docs/ARCHITECTURE.md (0 done, 1 failed and rolled
 * back, 2 refused, 3 needs confirmation, 4 failed and the rollback failed too).
 */
import { parseArgs } from "node:util";
import { commands, usage } from "./commands.ts";
import { getEnv } from "../env.ts";
import { parseDatabaseUrl } from "../db/url.ts";
import { recoverInterruptedRestore } from "../backup-restore/spine/recover.ts";
import { restoreLimits } from "../backup-restore/spine/restore-context.ts";
import { UsageError } from "./command.ts";
import { installProgressOutput, progressMode } from "./progress-output.ts";

/** Commands that change the live data outside a restore: not while a restore is unsettled. */
const WRITE_OUTSIDE_RESTORE = new Set(["seed", "reset-password"]);

async function recoverBeforeCommand(name: string) {
  const env = getEnv();
  const outcome = await recoverInterruptedRestore(
    parseDatabaseUrl(env.DATABASE_URL),
    env.WIMM_BACKUP_DIR,
    restoreLimits(env),
  );
  if (outcome.kind !== "failed") return;
  // Recovery never blocks the command that would fix it (`restore <safety backup>`), nor
  // those that only read; it blocks the ones that would write onto unsettled data.
  if (WRITE_OUTSIDE_RESTORE.has(name)) throw new Error(outcome.message);
  console.error(`[RECOVERY] ${outcome.message}`);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.error(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true });
    // Before anything reaches stderr: with --progress=json, all of it is JSON lines.
    const onProgress =
      command.options && "progress" in command.options
        ? installProgressOutput(progressMode(values.progress as string | undefined, process.stderr.isTTY === true))
        : undefined;
    // An interrupted restore is finished or undone before any command touches the database.
    await recoverBeforeCommand(name);
    const result = await command.run(positionals, values as Record<string, string | boolean | undefined>, {
      ...(onProgress ? { onProgress } : {}),
    });
    if (result.output !== undefined) process.stdout.write(JSON.stringify(result.output, jsonReplacer, 2) + "\n");
    return result.exitCode;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${(error as Error).message}\n\n${usage()}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`[CLI] ${name} failed: ${message}`);
    if (process.env.WIMM_DEBUG) console.error(error);
    process.stdout.write(JSON.stringify({ success: false, error: message }) + "\n");
    return 1;
  }
}

export function jsonReplacer(_key: string, value: unknown) {
  return typeof value === "bigint" ? value.toString() : value;
}

process.exitCode = await main(process.argv.slice(2));
