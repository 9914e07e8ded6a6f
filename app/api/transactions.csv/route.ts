import { redirect } from "next/navigation";

import { beginLiveRead, liveTarget } from "@/lib/app/live-database";
import { parseTransactionFilter } from "@/lib/finance/transaction-filter";
import { csvFileName, streamTransactionsCsv } from "@/lib/finance/transactions-csv";
import { isoDateInTimeZone } from "@/lib/time-zone";
import { getCurrentUser } from "@/lib/web/auth";
import { csvResponse, requestCsvDialect } from "@/lib/web/csv-response";
import { getCurrentFamily } from "@/lib/web/family";
import { notCrossSite } from "@/lib/web/request-guards";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Export CSV: the family's transactions under the same filter as /transactions (same query
 * parameters), streamed in batches so a large family's export never sits in memory whole.
 * Any signed-in user may export: members see the same list. The file is written for a
 * spreadsheet in the user's language (csvDialectFor): `;` and `1234,56` in pt-BR, `,` and
 * `1234.56` in English, with the header translated.
 *
 * The whole file is one snapshot, read on a connection of the export's own: rows written or
 * restored meanwhile never mix into it. A restore in this process ends the export first
 * (closeDb), and any failure mid-way errors the stream, which aborts the response: the
 * browser reports a failed download, never a clean, shorter file.
 */
export async function GET(request: Request) {
  const refused = notCrossSite(request);
  if (refused) return refused;
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Sign in first." }, { status: 401 });

  const filter = parseTransactionFilter(new URL(request.url).searchParams);
  const [family, dialect] = await Promise.all([getCurrentFamily(user.familyId), requestCsvDialect()]);
  // A restore that took the lock since getCurrentUser looked: where that would have sent us.
  const read = beginLiveRead();
  if (!read) redirect("/maintenance");
  const body = streamTransactionsCsv(liveTarget(), user.familyId, filter, dialect, {
    signal: read.signal,
    onEnd: read.end,
  });
  const fileName = csvFileName(filter, isoDateInTimeZone(family.timeZone));
  return csvResponse(body, fileName);
}
