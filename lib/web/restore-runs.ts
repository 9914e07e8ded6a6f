import "server-only";
import { randomBytes } from "node:crypto";
import type { ProgressSink } from "../backup-restore/engine/progress.ts";
import type { ProgressEvent } from "../backup-restore/vocabulary.ts";
import { log } from "../log.ts";
import { estimateRestore, type PhaseTimes } from "./restore-estimate.ts";

/**
 * Restores started from the page run here, on the server, not inside the request that
 * started them: the page gets an id at once and follows the restore through
 * /api/restore/progress, and a page reloaded (or closed and opened again) in the middle
 * finds the same restore by the same id, still running or with its result.
 *
 * The id is the only key: 24 random bytes, handed to the admin's browser alone, because the
 * progress endpoint can check no session (while the restore holds the maintenance lock the
 * sessions table is being replaced, and every session ends with it). Everything is held in
 * this process's memory; nothing here reads the database. A finished restore's result is
 * kept for a while, then forgotten.
 */

/** How long a finished restore's result stays readable by its id. */
const KEEP_FINISHED_MS = 15 * 60 * 1000;

export type RestoreRunView<R> = {
  state: "running" | "finished";
  /** The phase reported last, `null` before the first one. */
  progress: ProgressEvent | null;
  percent: number;
  secondsLeft: number | null;
  result?: R;
};

type Run<R> = { progress: ProgressEvent | null; times: PhaseTimes; result?: R; finishedAt?: number };

type Registry = Map<string, Run<unknown>>;
const runs: Registry = ((globalThis as { __wimmRestoreRuns?: Registry }).__wimmRestoreRuns ??= new Map());

/** The shape of an id this module hands out: a request naming anything else is not looked up. */
export const RESTORE_RUN_ID = /^[A-Za-z0-9_-]{32}$/;

/**
 * Starts `work` in the background and returns its id. `work` reports progress through the
 * sink it is given and resolves to the result the page will read; it must not throw (a
 * throw is logged and read as `failed`).
 */
export function startRestoreRun<R>(work: (onProgress: ProgressSink) => Promise<R>, failed: R): string {
  forgetOldRuns();
  const id = randomBytes(24).toString("base64url");
  const run: Run<R> = { progress: null, times: {} };
  runs.set(id, run);
  const onProgress: ProgressSink = (event) => {
    const now = Date.now();
    if (event.phase === "copy" && run.times.copyStartedAt === undefined) run.times.copyStartedAt = now;
    if (run.progress?.phase === "copy" && event.phase !== "copy") run.times.copyEndedAt ??= now;
    run.progress = event;
  };
  void work(onProgress)
    .catch((error: unknown) => {
      log("RESTORE", `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return failed;
    })
    .then((result) => {
      run.result = result;
      run.finishedAt = Date.now();
    });
  return id;
}

/** What the page may know of the restore with this id, or null for an id that is not (or no longer) known. */
export function readRestoreRun<R>(id: string): RestoreRunView<R> | null {
  if (!RESTORE_RUN_ID.test(id)) return null;
  forgetOldRuns();
  const run = runs.get(id) as Run<R> | undefined;
  if (!run) return null;
  const finished = run.finishedAt !== undefined;
  const estimate = run.progress ? estimateRestore(run.progress, run.times, Date.now()) : null;
  return {
    state: finished ? "finished" : "running",
    progress: run.progress,
    percent: finished ? 100 : (estimate?.percent ?? 0),
    secondsLeft: finished ? 0 : (estimate?.secondsLeft ?? null),
    ...(finished ? { result: run.result as R } : {}),
  };
}

function forgetOldRuns(now = Date.now()): void {
  for (const [id, run] of runs)
    if (run.finishedAt !== undefined && now - run.finishedAt > KEEP_FINISHED_MS) runs.delete(id);
}
