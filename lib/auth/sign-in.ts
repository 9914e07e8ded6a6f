import type { Db } from "../db/client.ts";
import { authenticate } from "./authenticate.ts";
import type { LoginThrottle, ThrottleLimit } from "./login-throttle.ts";
import type { SessionUser } from "./sessions.ts";

export type SignInResult =
  | { ok: true; user: SessionUser }
  | { ok: false; reason: "INVALID_CREDENTIALS" }
  | { ok: false; reason: "THROTTLED"; limit: ThrottleLimit; retryAfterMs: number };

/**
 * Checks a username and password through the login throttle. A throttled attempt is refused
 * before the password is hashed, so a flood of guesses costs the server no scrypt work.
 * `check` is the password check (a parameter so tests can count its calls).
 */
export async function signIn(
  db: Db,
  throttle: LoginThrottle,
  input: { username: string; password: string; address: string },
  check: typeof authenticate = authenticate,
): Promise<SignInResult> {
  const attempt = throttle.attempt(input.username, input.address);
  if (!attempt.ok) return { ok: false, reason: "THROTTLED", limit: attempt.limit, retryAfterMs: attempt.retryAfterMs };
  const user = await check(db, input.username, input.password);
  if (!user) return { ok: false, reason: "INVALID_CREDENTIALS" };
  attempt.succeeded();
  return { ok: true, user };
}
