import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";

import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getDb } from "@/lib/app/live-database";
import { listFormOptions } from "@/lib/finance/list-form-options";
import { isoDateInTimeZone } from "@/lib/time-zone";
import { requireUser } from "@/lib/web/auth";
import { getCurrentFamily } from "@/lib/web/family";
import { CreateTransactionForm } from "./create-transaction-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("NewTransaction");
  return { title: t("title") };
}

export default async function NewTransactionPage() {
  const user = await requireUser();
  const [family, { accounts, categories }, t] = await Promise.all([
    getCurrentFamily(user.familyId),
    getDb().then((db) => listFormOptions(db, user.familyId)),
    getTranslations("NewTransaction"),
  ]);

  return (
    <div className="grid max-w-2xl grid-cols-1 gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>{t("cardTitle")}</h2>
          </CardTitle>
          <CardDescription>{t("cardDescription")}</CardDescription>
        </CardHeader>
        <CardContent>
          {accounts.length === 0 ? (
            <div className="grid gap-3 text-sm">
              <p>{t("noAccount")}</p>
              <div>
                <Button asChild variant="outline" size="sm">
                  <Link href="/">{t("back")}</Link>
                </Button>
              </div>
            </div>
          ) : (
            // "Today" is the family's day, not the server's: late in the evening in São Paulo
            // it is already tomorrow in UTC.
            <CreateTransactionForm
              accounts={accounts}
              categories={categories}
              today={isoDateInTimeZone(family.timeZone)}
            />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
