import { getDb, liveTarget } from "@/lib/db/live";
import { parseTransactionFilter } from "@/lib/finance/transaction-filter";
import { streamTransactionsCsv } from "@/lib/finance/transactions-csv";
import { getCurrentUser } from "@/lib/web/auth";
import { notCrossSite } from "@/lib/web/request-guards";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Export CSV: the family's transactions under the same filter as /transactions (same query
 * parameters), streamed in batches so a large family's export never sits in memory whole.
 * Any signed-in user may export: members see the same list.
 */
export async function GET(request: Request) {
  const refused = notCrossSite(request);
  if (refused) return refused;
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: "Sign in first." }, { status: 401 });

  const filter = parseTransactionFilter(new URL(request.url).searchParams);
  const body = streamTransactionsCsv(await getDb(), user.familyId, filter, liveTarget().engine);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="transactions-${day}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
