import type { Metadata } from "next";

import { Amount } from "@/components/amount";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getDb } from "@/lib/db/live";
import { getFamily } from "@/lib/finance/get-family";
import { listAccountsAndCategories } from "@/lib/finance/list-accounts-and-categories";
import { requireUser } from "@/lib/web/auth";
import { ArchiveButton } from "./archive-button";
import { NameForm } from "./name-form";

export const metadata: Metadata = { title: "Accounts and categories" };

/** Everyone sees the accounts, their balances and the categories; only admins change them. */
export default async function AccountsPage() {
  const user = await requireUser();
  const isAdmin = user.role === "admin";
  const db = await getDb();
  const [family, { accounts, categories }] = await Promise.all([
    getFamily(db, user.familyId),
    listAccountsAndCategories(db, user.familyId),
  ]);

  return (
    <div className="grid grid-cols-1 gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Accounts and categories</h1>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Accounts</h2>
          </CardTitle>
          <CardDescription>
            Balances are the sum of each account&apos;s transactions. An archived account keeps its transactions but is
            no longer offered for new ones.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {accounts.length === 0 ? (
            <p className="text-sm text-muted-foreground">No accounts yet.</p>
          ) : (
            <Table>
              <caption className="sr-only">Accounts</caption>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead className="text-right">Balance</TableHead>
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
                          label={`Name of ${a.name}`}
                          submitLabel="Rename"
                        />
                      ) : (
                        a.name
                      )}
                      {/* In the name's cell, not a column of its own: on a phone it stays in view. */}
                      <div className="mt-1 flex flex-wrap items-center gap-2">
                        {a.archived && <Badge variant="secondary">Archived</Badge>}
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
          {isAdmin && <NameForm kind="account" label="New account" submitLabel="Create account" />}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Categories</h2>
          </CardTitle>
          <CardDescription>An archived category stays on its transactions but is no longer offered.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {categories.length === 0 ? (
            <p className="text-sm text-muted-foreground">No categories yet.</p>
          ) : (
            <Table>
              <caption className="sr-only">Categories</caption>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead className="text-right">Transactions</TableHead>
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
                          label={`Name of ${c.name}`}
                          submitLabel="Rename"
                        />
                      ) : (
                        c.name
                      )}
                      {/* In the name's cell, not a column of its own: on a phone it stays in view. */}
                      <div className="mt-1 flex flex-wrap items-center gap-2">
                        {c.archived && <Badge variant="secondary">Archived</Badge>}
                        {isAdmin && <ArchiveButton kind="category" id={c.id} name={c.name} archived={c.archived} />}
                      </div>
                    </TableCell>
                    <TableCell className="text-right align-top tabular-nums">{c.transactionCount}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {isAdmin && <NameForm kind="category" label="New category" submitLabel="Create category" />}
        </CardContent>
      </Card>
    </div>
  );
}
