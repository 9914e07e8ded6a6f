/**
 * How far a restore has got, as it runs: the spine enters each phase (vocabulary.ts's
 * RESTORE_PHASES, in order), the loaders count the rows they copy, and whoever started the
 * restore (the CLI's stderr, the web app's progress endpoint) hears about it through a sink.
 *
 * The promises a listener may rely on: phases only move forward (entering one already
 * passed is ignored, so the loader and the spine may both say "verify"); within a phase
 * `done` never decreases; a phase that ends reports `done` equal to its `total` (a phase of
 * unknown size ends as 1 of 1). Only a rollback interrupts a phase without ending it: it did
 * not finish, and saying so would be a lie.
 */
import { RESTORE_PHASES, type ProgressEvent, type RestorePhase } from "../vocabulary.ts";

export type ProgressSink = (event: ProgressEvent) => void;

/** Row counts are reported at most this often (a phase's start and end always are). */
const INTERVAL_MS = 200;

export class RestoreProgress {
  private current: ProgressEvent | null = null;
  private lastSent = 0;

  constructor(private readonly sink: ProgressSink) {}

  /** Start `phase` (`total` units, null while unknown), ending the current one first. */
  enter(phase: RestorePhase, total: number | null = null): void {
    if (this.current) {
      const rollback = phase === "rollback";
      if (!rollback && RESTORE_PHASES.indexOf(phase) <= RESTORE_PHASES.indexOf(this.current.phase)) return;
      if (!rollback) this.end();
    }
    this.current = { phase, done: 0, total };
    this.send();
  }

  /** `units` more of the current phase are done. */
  advance(units: number): void {
    const current = this.current;
    if (!current || units <= 0) return;
    current.done += units;
    // More than announced (a count that was an estimate): the total grows, done never shrinks.
    if (current.total !== null && current.done > current.total) current.total = current.done;
    const now = performance.now();
    if (now - this.lastSent >= INTERVAL_MS) this.send(now);
  }

  /**
   * Where the current phase is, as counted by someone else (a child process that checks the
   * backup): `done` only ever moves forward, and a total never falls below it.
   */
  report(done: number, total: number | null): void {
    const current = this.current;
    if (!current) return;
    if (total !== null) current.total = Math.max(total, current.done);
    this.advance(done - current.done);
  }

  /** The current phase is over: done equals its total. */
  end(): void {
    const current = this.current;
    if (!current) return;
    const total = current.total ?? Math.max(current.done, 1);
    this.current = null;
    this.sink({ phase: current.phase, done: total, total });
  }

  private send(now = performance.now()): void {
    if (!this.current) return;
    this.lastSent = now;
    this.sink({ ...this.current });
  }
}

/** The rows a record stream with these checksums holds: the copy phase's total. */
export function rowsToCopy(expected: Record<string, { rows: number }>, skip: ReadonlySet<string>): number {
  let rows = 0;
  for (const [table, { rows: n }] of Object.entries(expected)) if (!skip.has(table)) rows += n;
  return rows;
}
