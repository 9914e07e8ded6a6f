import "server-only";
import { getLocale, getTranslations } from "next-intl/server";

import { csvDialectFor, type CsvDialect } from "../finance/transactions-csv.ts";

/** The CSV dialect of the request's language, with the header in its words (both CSV routes). */
export async function requestCsvDialect(): Promise<CsvDialect> {
  const [locale, t] = await Promise.all([getLocale(), getTranslations("Csv")]);
  return csvDialectFor(locale, {
    date: t("date"),
    description: t("description"),
    account: t("account"),
    category: t("category"),
    amount: t("amount"),
    reconciled: t("reconciled"),
    yes: t("yes"),
    no: t("no"),
  });
}

/** A CSV download: streamed, never cached, never sniffed as anything else. */
export function csvResponse(body: ReadableStream<Uint8Array>, fileName: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
