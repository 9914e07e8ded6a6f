/**
 * The retention policy as an admin configures it: its bounds (one zod schema, used by the
 * settings file, the settings page and the environment), and its written form for
 * `WIMM_BACKUP_RETENTION`:
 *
 *   hours=24,daily=7,weekly=4,monthly=12,safety-days=30
 *
 * Named numbers rather than `24h,7d,4w,12m,30s`: "30s" reads as thirty seconds, and "m"
 * as minutes to half the people who read it. Any of the five may be left out (it keeps its
 * default), commas or spaces separate them, and a name twice, an unknown name or a value
 * outside the bounds is refused at start-up, like any bad variable.
 *
 * planRetention itself accepts any whole numbers ≥ 0 (its tests switch rules off one by
 * one); the bounds are for what a person types, each with its reason:
 *   - keepAllHours ≥ 1: retention runs right after every scheduled backup; with no window, a
 *     backup that failed its check would be deleted before anyone saw it, and a manual backup
 *     made minutes ago could go at once for not being the newest of its day.
 *   - daily ≥ 1: yesterday's backup is what a family restores after a bad day of edits; a
 *     policy without it keeps nothing between the window and the weekly ones.
 *   - weekly, monthly ≥ 0: a small disk may do without either.
 *   - safetyDays ≥ 7: a safety backup is the way back from a restore or an upgrade that was a
 *     mistake, and the mistake is seen when the family next uses the app, often days later.
 *   - the upper bounds only catch typos (a year of hours, a thousand periods, ten years).
 * The newest verified backup is always kept; that rule is not part of the policy.
 */
import { z } from "zod";
import { DEFAULT_RETENTION_POLICY, type RetentionPolicy } from "./plan-retention.ts";

export type RetentionField = keyof RetentionPolicy;

export const RETENTION_FIELDS = [
  "keepAllHours",
  "daily",
  "weekly",
  "monthly",
  "safetyDays",
] as const satisfies readonly RetentionField[];

export const RETENTION_BOUNDS: Record<RetentionField, { min: number; max: number }> = {
  keepAllHours: { min: 1, max: 8760 },
  daily: { min: 1, max: 1000 },
  weekly: { min: 0, max: 1000 },
  monthly: { min: 0, max: 1000 },
  safetyDays: { min: 7, max: 3650 },
};

const bounded = (field: RetentionField) => z.int().min(RETENTION_BOUNDS[field].min).max(RETENTION_BOUNDS[field].max);

/** A whole policy within the bounds: what the settings file holds and the page saves. */
export const RetentionPolicySchema = z.strictObject({
  keepAllHours: bounded("keepAllHours"),
  daily: bounded("daily"),
  weekly: bounded("weekly"),
  monthly: bounded("monthly"),
  safetyDays: bounded("safetyDays"),
});

/** The names of the written form, in its order. */
const TEXT_NAMES: Record<RetentionField, string> = {
  keepAllHours: "hours",
  daily: "daily",
  weekly: "weekly",
  monthly: "monthly",
  safetyDays: "safety-days",
};

export type ParsedRetention = { ok: true; policy: RetentionPolicy } | { ok: false; problem: string };

/** `hours=24,daily=7,…` as a policy (missing names keep their defaults), or what is wrong. */
export function parseRetentionText(text: string): ParsedRetention {
  const byName = new Map(RETENTION_FIELDS.map((field) => [TEXT_NAMES[field], field]));
  const given: Partial<RetentionPolicy> = {};
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) return { ok: false, problem: "is empty" };
  for (const part of parts) {
    const match = /^([a-z-]+)=(\d+)$/.exec(part.toLowerCase());
    const field = match ? byName.get(match[1] as string) : undefined;
    if (!match || !field) return { ok: false, problem: `"${part}" is not one of ${[...byName.keys()].join("=N, ")}=N` };
    if (field in given) return { ok: false, problem: `${match[1]} is given twice` };
    given[field] = Number(match[2]);
  }
  const parsed = RetentionPolicySchema.safeParse({ ...DEFAULT_RETENTION_POLICY, ...given });
  if (parsed.success) return { ok: true, policy: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path[0] as RetentionField | undefined;
  if (!field) return { ok: false, problem: issue?.message ?? "is not a policy" };
  const { min, max } = RETENTION_BOUNDS[field];
  return { ok: false, problem: `${TEXT_NAMES[field]} must be a whole number from ${min} to ${max}` };
}

/** The written form of a policy, all five names: what `parseRetentionText` reads back. */
export function formatRetentionText(policy: RetentionPolicy): string {
  return RETENTION_FIELDS.map((field) => `${TEXT_NAMES[field]}=${policy[field]}`).join(",");
}
