import { createReadStream, statSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";

import { parseBackupFilename } from "@/lib/backup-restore/backups/parse-backup-filename";
import { demoModeRefusal } from "@/lib/backup-restore/vocabulary";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { adminOrRefusal } from "@/lib/web/request-guards";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * A backup of the folder (or its encrypted copy), downloaded from the catalogue by an admin.
 * Only names the app writes are served (parse-backup-filename.ts), so no path can be named;
 * reading creates nothing, so a GET it is.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  const auth = await adminOrRefusal();
  if ("response" in auth) return auth.response;
  const env = getEnv();
  if (demoModeRefusal(env.DEMO_MODE, "backup")) return new Response(null, { status: 403 });
  const { file } = await params;
  // A backup's own name, or its encrypted copy's (`<name>.age`, written beside it).
  if (!parseBackupFilename(file.endsWith(".age") ? file.slice(0, -".age".length) : file))
    return new Response(null, { status: 404 });
  const path = join(env.WIMM_BACKUP_DIR, file);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) return new Response(null, { status: 404 });
  log("BACKUP", `${file} downloaded from the catalogue by ${auth.user.username}`);
  return new Response(Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": file.endsWith(".sqlite3") ? "application/vnd.sqlite3" : "application/octet-stream",
      "Content-Disposition": `attachment; filename="${file}"`,
      "Content-Length": String(stat.size),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
