import type { Metadata } from "next";
import Link from "next/link";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getDb } from "@/lib/app/live-database";
import { getFormatter, getTranslations } from "next-intl/server";
import { listUsers } from "@/lib/users/list-users";
import { requireAdmin } from "@/lib/web/auth";
import { AddUserForm } from "./add-user-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Users");
  return { title: t("title") };
}

/** The family's users and a form to add one. Admins only (members get a 404). */
export default async function UsersPage() {
  const admin = await requireAdmin();
  const [users, t, format] = await Promise.all([
    listUsers(await getDb(), admin.familyId),
    getTranslations("Users"),
    getFormatter(),
  ]);

  return (
    <div className="grid grid-cols-1 gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>{t("membersTitle")}</h2>
          </CardTitle>
          <CardDescription>{t("membersDescription")}</CardDescription>
        </CardHeader>
        <CardContent>
          <Table>
            <caption className="sr-only">{t("caption")}</caption>
            <TableHeader>
              <TableRow>
                <TableHead>{t("userColumn")}</TableHead>
                <TableHead>
                  <span className="sr-only">{t("actionsColumn")}</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {users.map((u) => (
                <TableRow key={u.id} data-testid={`user-${u.username}`}>
                  <TableCell className="min-w-40 whitespace-normal">
                    <div className="font-medium break-all">{u.username}</div>
                    {u.displayName && <div className="text-muted-foreground">{u.displayName}</div>}
                    <div className="mt-1 flex flex-wrap gap-1.5">
                      <Badge variant={u.role === "admin" ? "default" : "secondary"}>
                        {t(`roles.${u.role === "admin" ? "admin" : "member"}`)}
                      </Badge>
                      {u.active ? (
                        <Badge variant="outline">{t("active")}</Badge>
                      ) : (
                        <Badge variant="destructive">{t("deactivated")}</Badge>
                      )}
                      {u.id === admin.id && <Badge variant="outline">{t("you")}</Badge>}
                    </div>
                    {/* In the user's cell, not a column: a phone keeps the Manage button in view. */}
                    <div className="mt-1 text-xs text-muted-foreground">
                      {u.lastSignInAt
                        ? t("lastSignIn", {
                            when: format.dateTime(u.lastSignInAt, { dateStyle: "medium", timeStyle: "short" }),
                          })
                        : t("neverSignedIn")}
                    </div>
                  </TableCell>
                  <TableCell className="text-right align-top">
                    <Button asChild variant="outline" size="sm">
                      <Link href={`/users/${u.id}`} aria-label={t("manageLabel", { username: u.username })}>
                        {t("manage")}
                      </Link>
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>{t("addTitle")}</h2>
          </CardTitle>
          <CardDescription>{t("addDescription")}</CardDescription>
        </CardHeader>
        <CardContent>
          <AddUserForm />
        </CardContent>
      </Card>
    </div>
  );
}
