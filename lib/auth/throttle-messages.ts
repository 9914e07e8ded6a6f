/**
 * What a throttled user reads (lib/auth/login-throttle.ts). It says which limit was hit and
 * when to try again; "this username" is said whether or not such a user exists, as failures
 * are counted for any name typed.
 */
import type { ThrottleLimit } from "./login-throttle.ts";

function inMinutes(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

export function tooManySignInsMessage(limit: ThrottleLimit, retryAfterMs: number): string {
  return limit === "username"
    ? `Too many failed sign-ins for this username. Try again in ${inMinutes(retryAfterMs)}.`
    : `Too many failed sign-ins from your network address. Try again in ${inMinutes(retryAfterMs)}.`;
}

export function tooManyPasswordAttemptsMessage(limit: ThrottleLimit, retryAfterMs: number): string {
  return limit === "username"
    ? `Too many wrong passwords for this account. Try again in ${inMinutes(retryAfterMs)}.`
    : `Too many wrong passwords from your network address. Try again in ${inMinutes(retryAfterMs)}.`;
}
