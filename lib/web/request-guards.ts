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
 * A state-changing request must come from our own pages, exactly our origin (scheme, host and
 * port): its Origin must name this host, and Sec-Fetch-Site, which browsers set themselves
 * and no page can forge, must not say otherwise. "same-site" is refused too: another port of
 * this host (another app beside us) is same-site, and SameSite cookies go with its requests.
 * Browsers always send Origin on POST; a request without one (curl, a script) is refused.
 * Next.js checks a server action's Origin the same way (against X-Forwarded-Host or Host).
 */
export function sameOriginOrRefusal(request: Request): Response | null {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  const site = request.headers.get("sec-fetch-site");
  let ok = false;
  try {
    ok = !!origin && !!host && new URL(origin).host === host && (site === null || site === "same-origin");
  } catch {
    ok = false;
  }
  return ok ? null : Response.json({ error: "Cross-origin request refused." }, { status: 403 });
}

/** The answer to a method a route does not take (GET on a route that only creates): 405, naming the ones it does. */
export function methodNotAllowed(allow: string): Response {
  return Response.json({ error: `Method not allowed; use ${allow}.` }, { status: 405, headers: { Allow: allow } });
}

/** A download started from another site (a link on a foreign page) is refused. */
export function notCrossSite(request: Request): Response | null {
  const site = request.headers.get("sec-fetch-site");
  return site === "cross-site" ? Response.json({ error: "Cross-site request refused." }, { status: 403 }) : null;
}
