import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";

import { Amount } from "@/components/amount";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getDb } from "@/lib/app/live-database";
import { listAccountsAndCategories } from "@/lib/finance/list-accounts-and-categories";
import { requireUser } from "@/lib/web/auth";
import { getCurrentFamily } from "@/lib/web/family";
import { ArchiveButton } from "./archive-button";
import { NameForm } from "./name-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Accounts");
  return { title: t("title") };
}

/** Everyone sees the accounts, their balances and the categories; only admins change them. */
export default async function AccountsPage() {
  const user = await requireUser();
  const isAdmin = user.role === "admin";
  const db = await getDb();
  const [family, { accounts, categories }, t, format] = await Promise.all([
    getCurrentFamily(user.familyId),
    listAccountsAndCategories(db, user.familyId),
    getTranslations("Accounts"),
    getFormatter(),
  ]);

  return (
    <div className="grid grid-cols-1 gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>{t("accountsTitle")}</h2>
          </CardTitle>
          <CardDescription>{t("accountsDescription")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {accounts.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t("noAccounts")}</p>
          ) : (
            <Table>
              <caption className="sr-only">{t("accountsTitle")}</caption>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("name")}</TableHead>
                  <TableHead className="text-right">{t("balance")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {accounts.map((a) => (
                  <TableRow key={a.id} data-testid={`account-${a.id}`}>
                    <TableCell className="min-w-40 whitespace-normal">
                      {isAdmin ? (
                        <NameForm
                          kind="account"
                          id={a.id}
                          name={a.name}
                          label={t("nameOf", { name: a.name })}
                          submitLabel={t("rename")}
                        />
                      ) : (
                        a.name
                      )}
                      {/* In the name's cell, not a column of its own: on a phone it stays in view. */}
                      <div className="mt-1 flex flex-wrap items-center gap-2">
                        {a.archived && <Badge variant="secondary">{t("archived")}</Badge>}
                        {isAdmin && <ArchiveButton kind="account" id={a.id} name={a.name} archived={a.archived} />}
                      </div>
                    </TableCell>
                    <TableCell className="text-right align-top">
                      <Amount cents={a.balanceCents} currency={family.currency} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {isAdmin && <NameForm kind="account" label={t("newAccount")} submitLabel={t("createAccount")} />}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>{t("categoriesTitle")}</h2>
          </CardTitle>
          <CardDescription>{t("categoriesDescription")}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {categories.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t("noCategories")}</p>
          ) : (
            <Table>
              <caption className="sr-only">{t("categoriesTitle")}</caption>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("name")}</TableHead>
                  <TableHead className="text-right">{t("transactions")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {categories.map((c) => (
                  <TableRow key={c.id} data-testid={`category-${c.id}`}>
                    <TableCell className="min-w-40 whitespace-normal">
                      {isAdmin ? (
                        <NameForm
                          kind="category"
                          id={c.id}
                          name={c.name}
                          label={t("nameOf", { name: c.name })}
                          submitLabel={t("rename")}
                        />
                      ) : (
                        c.name
                      )}
                      {/* In the name's cell, not a column of its own: on a phone it stays in view. */}
                      <div className="mt-1 flex flex-wrap items-center gap-2">
                        {c.archived && <Badge variant="secondary">{t("archived")}</Badge>}
                        {isAdmin && <ArchiveButton kind="category" id={c.id} name={c.name} archived={c.archived} />}
                      </div>
                    </TableCell>
                    <TableCell className="text-right align-top tabular-nums">
                      {format.number(c.transactionCount)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {isAdmin && <NameForm kind="category" label={t("newCategory")} submitLabel={t("createCategory")} />}
        </CardContent>
      </Card>
    </div>
  );
}
