import type { RestoreActionResult } from "@/app/(app)/settings/restore-schema";
import { readRestoreRun } from "@/lib/web/restore-runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * How far a restore started from the page has got, and its result once it has one: the
 * phase, rows done of total, the whole restore's percentage and the time left.
 *
 * Exempt from the maintenance 503 on purpose, and reading no database: while the restore
 * holds the lock the sessions table is being replaced, so no session can be checked. The
 * unguessable restore id (lib/web/restore-runs.ts), handed only to the admin who started
 * it, is the authorisation; an unknown id is a 404 like any other, and says nothing more.
 */
export async function GET(request: Request) {
  const id = new URL(request.url).searchParams.get("id") ?? "";
  const run = readRestoreRun<RestoreActionResult>(id);
  const headers = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };
  if (!run) return Response.json({ error: "unknown restore" }, { status: 404, headers });
  return Response.json(run, { headers });
}
