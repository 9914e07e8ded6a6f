import { describe, expect, it } from "vitest";
import { createLoginThrottle, type LoginAttempt } from "./login-throttle.ts";

const MINUTE = 60_000;
const limits = { maxFailuresPerUsername: 5, maxFailuresPerAddress: 20, windowMs: 15 * MINUTE };

/** A throttle on a clock the test moves by hand. */
function setup(overrides: Partial<typeof limits> = {}) {
  let time = 1_000_000;
  const throttle = createLoginThrottle({ ...limits, ...overrides }, () => time);
  return {
    throttle,
    advance: (ms: number) => {
      time += ms;
    },
    /** `n` attempts that all fail (nobody reports a success). */
    fail(n: number, username: string, address: string): LoginAttempt[] {
      return Array.from({ length: n }, () => throttle.attempt(username, address));
    },
  };
}

describe("createLoginThrottle", () => {
  it("refuses the 6th attempt for a username after 5 failures, and says when to retry", () => {
    const { throttle, fail, advance } = setup();
    const attempts = fail(5, "maria", "203.0.113.1");
    expect(attempts.every((a) => a.ok)).toBe(true);
    advance(MINUTE);
    expect(throttle.attempt("maria", "203.0.113.1")).toEqual({
      ok: false,
      limit: "username",
      retryAfterMs: 14 * MINUTE,
    });
    // Another address does not help: the limit is the username's.
    expect(throttle.attempt("maria", "198.51.100.7")).toMatchObject({ ok: false, limit: "username" });
    // The username is compared as the login form trims and case-folds it.
    expect(throttle.attempt("  MARIA ", "198.51.100.7")).toMatchObject({ ok: false, limit: "username" });
    // Other usernames from the same address still go through.
    expect(throttle.attempt("admin", "203.0.113.1").ok).toBe(true);
  });

  it("refuses an address after 20 failures, whatever usernames it tries", () => {
    const { throttle } = setup();
    for (let i = 0; i < 20; i++) expect(throttle.attempt(`user${i}`, "203.0.113.9").ok, `attempt ${i}`).toBe(true);
    expect(throttle.attempt("someone-new", "203.0.113.9")).toEqual({
      ok: false,
      limit: "address",
      retryAfterMs: 15 * MINUTE,
    });
    // Those usernames are not blocked from elsewhere (one failure each).
    expect(throttle.attempt("user0", "198.51.100.7").ok).toBe(true);
  });

  it("lets attempts through again once the oldest failures leave the window", () => {
    const { throttle, fail, advance } = setup();
    fail(3, "maria", "203.0.113.1");
    advance(10 * MINUTE);
    fail(2, "maria", "203.0.113.1");
    expect(throttle.attempt("maria", "203.0.113.1")).toMatchObject({ ok: false, retryAfterMs: 5 * MINUTE });
    advance(5 * MINUTE - 1);
    expect(throttle.attempt("maria", "203.0.113.1")).toMatchObject({ ok: false, retryAfterMs: 1 });
    advance(1);
    // The three oldest expired: three attempts are free again, not more.
    expect(fail(3, "maria", "203.0.113.1").every((a) => a.ok)).toBe(true);
    // Full again; the next place frees when the two from minute 10 expire.
    expect(throttle.attempt("maria", "203.0.113.1")).toMatchObject({ ok: false, retryAfterMs: 10 * MINUTE });
  });

  it("does not count refused attempts: hammering a locked username does not extend its lockout", () => {
    const { throttle, fail, advance } = setup();
    fail(5, "maria", "203.0.113.1");
    for (let i = 0; i < 14; i++) {
      advance(MINUTE);
      expect(throttle.attempt("maria", "203.0.113.1").ok).toBe(false);
    }
    advance(MINUTE);
    expect(throttle.attempt("maria", "203.0.113.1").ok).toBe(true);
  });

  it("a success clears the username's failures and does not count against the address", () => {
    const { throttle, fail } = setup({ maxFailuresPerAddress: 6 });
    fail(4, "maria", "203.0.113.1");
    const right = throttle.attempt("maria", "203.0.113.1");
    if (!right.ok) throw new Error("refused");
    right.succeeded();
    right.succeeded(); // reporting twice changes nothing
    // Five more failures for maria are allowed again...
    expect(fail(1, "maria", "203.0.113.1").every((a) => a.ok)).toBe(true);
    // ...but the address keeps its 5 failures: one more reaches its limit of 6.
    expect(throttle.attempt("admin", "203.0.113.1").ok).toBe(true);
    expect(throttle.attempt("admin", "203.0.113.1")).toMatchObject({ ok: false, limit: "address" });
  });

  it("counts an attempt before its outcome is known, so concurrent guesses cannot all pass", () => {
    const { throttle } = setup();
    // Ten requests arrive together; none has finished hashing yet.
    const attempts = Array.from({ length: 10 }, () => throttle.attempt("maria", "203.0.113.1"));
    expect(attempts.filter((a) => a.ok)).toHaveLength(5);
  });

  it("when both limits are reached, names the one that lasts longer", () => {
    const { throttle, fail, advance } = setup({ maxFailuresPerAddress: 5 });
    for (const name of ["a1", "a2", "a3", "a4", "a5"]) fail(1, name, "203.0.113.1"); // full, frees at +15
    advance(2 * MINUTE);
    fail(5, "maria", "198.51.100.7"); // maria full, frees at +17
    advance(MINUTE);
    expect(throttle.attempt("maria", "203.0.113.1")).toEqual({
      ok: false,
      limit: "username",
      retryAfterMs: 14 * MINUTE,
    });
    advance(3 * MINUTE);
    for (const name of ["b1", "b2", "b3", "b4", "b5"]) fail(1, name, "192.0.2.9"); // full, frees at +21
    advance(MINUTE);
    expect(throttle.attempt("maria", "192.0.2.9")).toEqual({ ok: false, limit: "address", retryAfterMs: 14 * MINUTE });
  });
});
