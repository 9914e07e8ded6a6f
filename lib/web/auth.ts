import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getDb } from "../app/live-database.ts";
import { getEnv } from "../env.ts";
import { restoreInProgress, writeThroughGate } from "./maintenance.ts";
import {
  SESSION_COOKIE,
  createSignInSession,
  deleteSession,
  findSessionUser,
  type SessionUser,
} from "../auth/sessions.ts";

/**
 * The signed-in user, or null. Every page, action and route handler calls this itself;
 * React's cache() makes the layout's and the page's calls one lookup per request.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  // While a restore replaces the database nothing may read or renew a session from it.
  if (restoreInProgress()) redirect("/maintenance");
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return findSessionUser(await getDb(), token, getEnv().WIMM_SESSION_DAYS);
});

export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return user;
}

/**
 * Admins only, for pages and form actions: nobody signed in goes to /login, members get a
 * 404 (they learn nothing about what an admin page holds).
 */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireUser();
  if (user.role !== "admin") notFound();
  return user;
}

/**
 * Admins only, for actions whose caller reads a refusal value (the restore steps answer
 * `{ success: false, ... }` rather than a redirect or a 404): the admin, or null for nobody
 * and for members alike, which the action maps to its own refusal.
 */
export async function adminOrNull(): Promise<SessionUser | null> {
  const user = await getCurrentUser();
  return user?.role === "admin" ? user : null;
}

async function isHttps(): Promise<boolean> {
  const h = await headers();
  const proto = h.get("x-forwarded-proto") ?? "";
  return proto.split(",")[0]?.trim() === "https";
}

/**
 * The cookie only carries the token; the session row decides how long it is good for
 * (WIMM_SESSION_DAYS after its last use, renewed by findSessionUser). Pages cannot set
 * cookies, so the cookie could not follow those renewals: it gets the longest life browsers
 * allow (400 days) instead of the session's first expiry, which would sign out a user active
 * every day on day 30. A cookie outliving its session opens nothing.
 */
const COOKIE_MAX_AGE_S = 400 * 86_400;

/** Puts a session token in the browser (after sign-in, and after a password change rotates it). */
export async function setSessionCookie(token: string): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await isHttps(),
    path: "/",
    maxAge: COOKIE_MAX_AGE_S,
  });
}

/**
 * Signs a user in: the session row and the user's last sign-in written through the gate, then
 * the cookie; the gate's refusal as a value.
 */
export async function startSession(userId: number): Promise<{ ok: true } | { ok: false; message: string }> {
  const written = await writeThroughGate(async () =>
    createSignInSession(await getDb(), userId, getEnv().WIMM_SESSION_DAYS),
  );
  if (!written.ok) return written;
  await setSessionCookie(written.value.token);
  return { ok: true };
}

export async function endSession(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  jar.delete(SESSION_COOKIE);
  // During a restore every session is about to end anyway: do not touch the database.
  if (!restoreInProgress()) await deleteSession(await getDb(), token);
}
