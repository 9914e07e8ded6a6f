import "server-only";
import { createLoginThrottle, type LoginThrottle } from "../auth/login-throttle.ts";
import { getEnv } from "../env.ts";

// On globalThis: Next.js may load this module in more than one bundle, and every action
// (sign-in, password change) must count against the same failures.
const holder = globalThis as { __wimmLoginThrottle?: LoginThrottle };

/** The server process's login throttle (in memory: see lib/auth/login-throttle.ts). */
export function getLoginThrottle(): LoginThrottle {
  const env = getEnv();
  holder.__wimmLoginThrottle ??= createLoginThrottle({
    maxFailuresPerUsername: env.WIMM_LOGIN_USER_LIMIT,
    maxFailuresPerAddress: env.WIMM_LOGIN_IP_LIMIT,
    windowMs: env.WIMM_LOGIN_WINDOW_MIN * 60_000,
  });
  return holder.__wimmLoginThrottle;
}
