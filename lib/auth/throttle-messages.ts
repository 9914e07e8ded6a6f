/**
 * What a throttled user reads (lib/auth/login-throttle.ts). It says which limit was hit and
 * when to try again; "this username" is said whether or not such a user exists, as failures
 * are counted for any name typed. The texts are in `lib/i18n/messages/<locale>/account.json`
 * ("Throttle"); this module picks the message and the number of minutes.
 */
import type { ThrottleLimit } from "./login-throttle.ts";

/** Which action was throttled: signing in, or the current password on the account page. */
export type ThrottledAction = "signIns" | "passwords";

/** The key of the message under "Throttle", and its arguments (minutes rounded up, at least 1). */
export function throttleMessage(
  action: ThrottledAction,
  limit: ThrottleLimit,
  retryAfterMs: number,
): { key: `${ThrottledAction}.${ThrottleLimit}`; values: { minutes: number } } {
  return { key: `${action}.${limit}`, values: { minutes: Math.max(1, Math.ceil(retryAfterMs / 60_000)) } };
}
