import { cookies } from "next/headers";

import { LOCALE_COOKIE, resolveLocale } from "@/lib/i18n/locales";
import { MESSAGES } from "@/lib/i18n/messages";
import { restoreInProgress, restoreToSettle } from "@/lib/web/maintenance";

import { PROGRESS_STYLE, escapeHtml, progressMarkup, progressScript } from "./progress-script";

export const dynamic = "force-dynamic";

/**
 * Where every page sends people while a restore holds the maintenance lock. A route handler
 * rather than a page, so it can answer what it is: 503 Service Unavailable, with Retry-After.
 * Once the restore is over it sends them to sign in (every session has ended).
 */
export async function GET(request: Request) {
  // A relative Location: request.url names the host Next.js listens on (localhost), not the
  // one the browser used (a LAN address, a domain), which would send people astray.
  if (!restoreInProgress()) return new Response(null, { status: 303, headers: { Location: "/login" } });
  // No next-intl here: this answer must not touch the database (the family's settings).
  const locale = resolveLocale((await cookies()).get(LOCALE_COOKIE)?.value, request.headers.get("accept-language"));
  const { Maintenance: text, Common: common, RestoreProgress: progress } = MESSAGES[locale];
  // A restore that could be neither finished nor undone: say where the old data is, and how
  // to put it back (the page still checks again, for when an administrator has).
  const settle = restoreToSettle();
  const title = settle ? text.unsettledTitle : text.title;
  const body = settle ? text.unsettledText.replaceAll("{path}", settle.safetyBackup ?? "?") : text.text;
  // The admin who started the restore follows it here after a reload (progress-script.ts);
  // everyone else, and a browser without scripts, sees the page check again every 5 s.
  const texts = { locale, ...progress };
  const follow = settle ? "" : `${progressMarkup(texts)}\n<script>${progressScript(texts)}</script>`;
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${settle ? '<meta http-equiv="refresh" content="5">' : '<noscript><meta http-equiv="refresh" content="5"></noscript>'}<title>${escapeHtml(title)} · ${escapeHtml(common.appName)}</title>
<style>body{font-family:system-ui,sans-serif;display:grid;place-content:center;min-height:100vh;margin:0;padding:1.5rem;text-align:center;color:#171717;background:#fafafa}p{color:#525252;max-width:28rem}main{width:min(28rem,100%)}${PROGRESS_STYLE}</style>
</head><body><main><h1 id="page-title">${escapeHtml(title)}</h1>
<p id="restore-default">${escapeHtml(body)}</p>
${follow}
</main></body></html>`;
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": "5", "Cache-Control": "no-store" },
  });
}
