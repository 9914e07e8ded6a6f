import "server-only";
import { getTranslations } from "next-intl/server";
import { getCurrentUser } from "./auth.ts";
import type { SessionUser } from "../auth/sessions.ts";

/**
 * Route handlers check who is knocking themselves (no middleware): a JSON refusal, never a
 * redirect, for a missing session (401) or a member (404: they learn nothing).
 */
export async function adminOrRefusal(): Promise<{ user: SessionUser } | { response: Response }> {
  const user = await getCurrentUser();
  if (!user) {
    const t = await getTranslations("RestoreErrors");
    return { response: Response.json({ error: t("signInFirst") }, { status: 401 }) };
  }
  if (user.role !== "admin") return { response: Response.json({ error: "Not found." }, { status: 404 }) };
  return { user };
}

/**
 * A state-changing request must come from our own pages: its Origin must name this host.
 * Browsers always send Origin on POST; a request without one (curl, a script) is refused.
 */
export function sameOriginOrRefusal(request: Request): Response | null {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  let ok = false;
  try {
    ok = !!origin && !!host && new URL(origin).host === host;
  } catch {
    ok = false;
  }
  return ok ? null : Response.json({ error: "Cross-origin request refused." }, { status: 403 });
}

/** A download started from another site (a link on a foreign page) is refused. */
export function notCrossSite(request: Request): Response | null {
  const site = request.headers.get("sec-fetch-site");
  return site === "cross-site" ? Response.json({ error: "Cross-site request refused." }, { status: 403 }) : null;
}
