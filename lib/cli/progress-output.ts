/**
 * A restore's progress on the command line's stderr (stdout stays the JSON answer):
 *
 * - `--progress=json`, for scripts: stderr carries only JSON lines, one per event,
 *   `{"phase": "copy", "done": 120000, "total": 200000}` (`total` null while unknown), and
 *   every other line the process would have written there as `{"log": "[MODULE] message"}`.
 * - a terminal: one line, redrawn in place, naming the phase and how far it is; log lines
 *   are printed above it.
 * - neither (a cron job's log file, `2>file`): nothing but the log lines, as always.
 */
import { format } from "node:util";
import type { ProgressSink } from "../backup-restore/engine/progress.ts";
import type { ProgressEvent } from "../backup-restore/vocabulary.ts";
import { UsageError } from "./command.ts";

export type ProgressMode = "json" | "terminal" | "off";

/** `--progress` as given (json | off), or a terminal's default. */
export function progressMode(value: string | boolean | undefined, stderrIsTerminal: boolean): ProgressMode {
  if (value === undefined) return stderrIsTerminal ? "terminal" : "off";
  if (value === "json" || value === "off") return value;
  throw new UsageError(`--progress takes json or off, got "${String(value)}"`);
}

/**
 * Installed before anything is written to stderr: JSON mode turns every console.error of
 * the process into a `{"log"}` line, so a script can parse all of stderr.
 */
export function installProgressOutput(mode: ProgressMode): ProgressSink | undefined {
  if (mode === "off") return undefined;
  const write = (text: string) => process.stderr.write(text);
  if (mode === "json") {
    console.error = (...args: unknown[]) => write(JSON.stringify({ log: format(...args) }) + "\n");
    return (event) => write(JSON.stringify(event) + "\n");
  }
  let line = "";
  console.error = (...args: unknown[]) => {
    write(`${line ? "\r\x1b[K" : ""}${format(...args)}\n${line}`);
  };
  return (event) => {
    const next = describeProgress(event);
    // A phase that has ended keeps its line; the next phase starts on a new one.
    const ended = event.total !== null && event.done === event.total;
    write(`\r\x1b[K${next}${ended ? "\n" : ""}`);
    line = ended ? "" : next;
  };
}

const number = new Intl.NumberFormat("en");

export function describeProgress({ phase, done, total }: ProgressEvent): string {
  if (total === null) return `${phase}…`;
  if (phase === "copy") {
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
    return `${phase}: ${number.format(done)} of ${number.format(total)} rows (${percent} %)`;
  }
  return done === total ? `${phase}: done` : `${phase}: ${number.format(done)} of ${number.format(total)}`;
}
