/**
 * Failed sign-ins counted per username and per client address over a sliding window.
 *
 * Kept in memory, in the one server process a self-hosted install runs: the counters reset
 * when the server restarts and are not shared between instances. For a family's server that
 * is enough to make guessing a password over the network impractical (5 guesses per username
 * per 15 minutes by default) without a table or a cache server; a deployment running several
 * instances behind a load balancer would need the counters in a shared store.
 *
 * An attempt is counted *before* the password is checked, as a failure until it is reported
 * as a success: a burst of concurrent guesses cannot all slip past the check while the first
 * ones are still hashing. Refused attempts are not counted, so an attacker who keeps trying
 * does not push the owner's lockout further out.
 */

export type LoginLimits = {
  maxFailuresPerUsername: number;
  maxFailuresPerAddress: number;
  windowMs: number;
};

export type ThrottleLimit = "username" | "address";

export type LoginAttempt =
  { ok: true; succeeded: () => void } | { ok: false; limit: ThrottleLimit; retryAfterMs: number };

export type LoginThrottle = {
  /** Counts an attempt for this username and address, or refuses it when either is over its limit. */
  attempt(username: string, address: string): LoginAttempt;
};

/** Above this many keys, expired ones are swept on the next attempt (bounded memory). */
const SWEEP_ABOVE = 10_000;

export function createLoginThrottle(limits: LoginLimits, now: () => number = Date.now): LoginThrottle {
  const byUsername = new Map<string, number[]>();
  const byAddress = new Map<string, number[]>();

  /** The key's timestamps still inside the window (oldest first); drops the key when none are. */
  function recent(map: Map<string, number[]>, key: string, at: number): number[] {
    const kept = (map.get(key) ?? []).filter((t) => t > at - limits.windowMs);
    if (kept.length) map.set(key, kept);
    else map.delete(key);
    return kept;
  }

  function sweep(map: Map<string, number[]>, at: number) {
    if (map.size <= SWEEP_ABOVE) return;
    for (const key of [...map.keys()]) recent(map, key, at);
  }

  /** Time until the oldest counted failure leaves the window, freeing one place. */
  const retryAfter = (times: number[], at: number) => Math.max(0, times[0]! + limits.windowMs - at);

  return {
    attempt(username, address) {
      const at = now();
      sweep(byUsername, at);
      sweep(byAddress, at);
      const userKey = username.trim().toLowerCase();
      const addressKey = address || "unknown";
      const userTimes = recent(byUsername, userKey, at);
      const addressTimes = recent(byAddress, addressKey, at);

      const refusals: { limit: ThrottleLimit; retryAfterMs: number }[] = [];
      if (addressTimes.length >= limits.maxFailuresPerAddress) {
        refusals.push({ limit: "address", retryAfterMs: retryAfter(addressTimes, at) });
      }
      if (userTimes.length >= limits.maxFailuresPerUsername) {
        refusals.push({ limit: "username", retryAfterMs: retryAfter(userTimes, at) });
      }
      if (refusals.length) {
        // Both limits reached: name the one that lasts longer, so "try again in N" holds.
        const longest = refusals.reduce((a, b) => (b.retryAfterMs > a.retryAfterMs ? b : a));
        return { ok: false, ...longest };
      }

      // Below both limits here, so neither list grows past its limit.
      byUsername.set(userKey, [...userTimes, at]);
      byAddress.set(addressKey, [...addressTimes, at]);
      let settled = false;
      return {
        ok: true,
        succeeded() {
          if (settled) return;
          settled = true;
          // A success clears the username's failures and was never a failure of the address.
          byUsername.delete(userKey);
          const times = byAddress.get(addressKey);
          const index = times?.lastIndexOf(at) ?? -1;
          if (times && index >= 0) {
            times.splice(index, 1);
            if (!times.length) byAddress.delete(addressKey);
          }
        },
      };
    },
  };
}
