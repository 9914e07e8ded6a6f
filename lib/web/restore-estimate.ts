/**
 * The page's view of a running restore, from the phases it has reported (engine/progress.ts):
 * how far the whole restore is (one bar for all of it, so it never jumps back when a phase
 * ends) and roughly how long is left.
 *
 * Each phase has a share of the bar, from where a restore's time goes (`npm run bench`, and
 * the CLI's timings at 200,000 rows: validating and copying take the most, the safety backup
 * grows with the live data). Within a phase of known size the bar moves with its rows; one of
 * unknown size fills its share when it ends. The time left is estimated from the copy, the
 * one phase whose rate is measured: what is left of it at the rate so far, plus the indexes
 * and checks after it, which take about a third of the copy's time. Before the copy starts,
 * (and before a few percent of it is done) there is no honest estimate, and none is given.
 */
import { RESTORE_PHASES, type ProgressEvent, type RestorePhase } from "../backup-restore/vocabulary.ts";

const SHARE: Record<Exclude<RestorePhase, "rollback">, number> = {
  validate: 0.3,
  lock: 0.01,
  "safety-backup": 0.12,
  copy: 0.42,
  indexes: 0.08,
  verify: 0.06,
  finish: 0.01,
};

/** The copy's rate is trusted once this share of its rows, and this much time, are behind it. */
const MEASURED_SHARE = 0.03;
const MEASURED_MS = 500;

/** The indexes and checks after the copy, as a share of the copy's own time. */
const AFTER_COPY = 1 / 3;

export type PhaseTimes = {
  /** When the copy started and ended (ms since the epoch), once it has. */
  copyStartedAt?: number;
  copyEndedAt?: number;
};

export type RestoreEstimate = { percent: number; secondsLeft: number | null };

export function estimateRestore(event: ProgressEvent, times: PhaseTimes, now: number): RestoreEstimate {
  if (event.phase === "rollback") return { percent: 100, secondsLeft: null };
  const at = RESTORE_PHASES.indexOf(event.phase);
  let before = 0;
  for (const phase of RESTORE_PHASES.slice(0, at)) before += SHARE[phase as keyof typeof SHARE] ?? 0;
  const ofPhase = event.total ? event.done / event.total : 0;
  const percent = Math.min(100, Math.floor((before + SHARE[event.phase] * ofPhase) * 100));
  return { percent, secondsLeft: secondsLeft(event, times, now) };
}

function secondsLeft(event: ProgressEvent, times: PhaseTimes, now: number): number | null {
  const { copyStartedAt, copyEndedAt } = times;
  if (copyStartedAt === undefined) return null;
  if (event.phase === "copy") {
    const elapsed = now - copyStartedAt;
    // A rate from the first few rows (the small tables go first) would be wildly wrong.
    if (!event.total || event.done < event.total * MEASURED_SHARE || elapsed < MEASURED_MS) return null;
    const whole = (elapsed / event.done) * event.total;
    return Math.max(1, Math.round((whole - elapsed + whole * AFTER_COPY) / 1000));
  }
  if (copyEndedAt === undefined) return null;
  const after = (copyEndedAt - copyStartedAt) * AFTER_COPY - (now - copyEndedAt);
  return Math.max(1, Math.round(after / 1000));
}
