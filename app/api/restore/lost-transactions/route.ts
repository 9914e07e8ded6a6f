import { getTranslations } from "next-intl/server";

import { beginLiveRead, liveTarget } from "@/lib/app/live-database";
import { demoModeRefusal } from "@/lib/backup-restore/vocabulary";
import { getEnv } from "@/lib/env";
import { streamMarkedTransactionsCsv } from "@/lib/finance/transactions-csv";
import { log } from "@/lib/log";
import { csvResponse, requestCsvDialect } from "@/lib/web/csv-response";
import { adminOrRefusal, notCrossSite } from "@/lib/web/request-guards";
import { locateBackup, previewBackupFile } from "@/lib/web/restore-files";
import { LostTransactionsQuerySchema } from "@/app/(app)/settings/restore-schema";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * "Download them as CSV", before a restore is confirmed: the live transactions that a
 * restore of this backup (an upload by its id, or a file of the catalogue by its name) would
 * take away — in the live data but not in the backup, status "lost" — and those it would put
 * back as they were (same id, other values now, status "changed"), as they are now. The
 * comparison is made afresh (the same preview the dialog showed, read again), so a
 * transaction added since the dialog opened is in the file too. Admins only, like the restore.
 */
export async function GET(request: Request) {
  const refused = notCrossSite(request);
  if (refused) return refused;
  const auth = await adminOrRefusal();
  if ("response" in auth) return auth.response;
  const env = getEnv();
  if (demoModeRefusal(env.DEMO_MODE, "restore")) return new Response(null, { status: 403 });
  const params = new URL(request.url).searchParams;
  const query = LostTransactionsQuerySchema.safeParse({
    upload: params.get("upload") ?? undefined,
    file: params.get("file") ?? undefined,
  });
  if (!query.success) return new Response(null, { status: 400 });
  const located = await locateBackup(
    query.data.upload !== undefined ? { uploadId: query.data.upload } : { file: query.data.file },
  );
  if ("missing" in located) return new Response(null, { status: 404 });

  const [result, dialect, t] = await Promise.all([
    previewBackupFile(located.path),
    requestCsvDialect(),
    getTranslations("Csv"),
  ]);
  if (!result.ok) return Response.json({ code: result.code }, { status: 409 });
  const marks = new Map<number, string>();
  for (const id of result.preview.lostTransactionIds) marks.set(id, t("lost"));
  for (const id of result.preview.changedTransactionIds) marks.set(id, t("changed"));
  const read = beginLiveRead();
  if (!read) return new Response(null, { status: 503 });
  log("RESTORE", `${marks.size} transactions a restore would take away, downloaded by ${auth.user.username}`);
  const body = streamMarkedTransactionsCsv(
    liveTarget(),
    auth.user.familyId,
    marks,
    dialect,
    { id: t("id"), status: t("status") },
    { signal: read.signal, onEnd: read.end },
  );
  return csvResponse(body, "transactions-lost-by-restore.csv");
}
