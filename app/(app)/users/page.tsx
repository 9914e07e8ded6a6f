import type { Metadata } from "next";
import Link from "next/link";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getDb } from "@/lib/db/live";
import { getFormatter } from "next-intl/server";
import { listUsers } from "@/lib/users/list-users";
import { requireAdmin } from "@/lib/web/auth";
import { AddUserForm } from "./add-user-form";

export const metadata: Metadata = { title: "Users" };

/** The family's users and a form to add one. Admins only (members get a 404). */
export default async function UsersPage() {
  const format = await getFormatter();
  const admin = await requireAdmin();
  const users = await listUsers(await getDb(), admin.familyId);

  return (
    <div className="grid grid-cols-1 gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Users</h1>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Family members</h2>
          </CardTitle>
          <CardDescription>
            Users are never deleted, as their transactions refer to them: deactivate someone who should no longer sign
            in.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Table>
            <caption className="sr-only">Users of the family</caption>
            <TableHeader>
              <TableRow>
                <TableHead>User</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
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
                        {u.role === "admin" ? "Admin" : "Member"}
                      </Badge>
                      {u.active ? (
                        <Badge variant="outline">Active</Badge>
                      ) : (
                        <Badge variant="destructive">Deactivated</Badge>
                      )}
                      {u.id === admin.id && <Badge variant="outline">You</Badge>}
                    </div>
                    {/* In the user's cell, not a column: a phone keeps the Manage button in view. */}
                    <div className="mt-1 text-xs text-muted-foreground">
                      {u.lastSeenAt
                        ? `Last seen ${format.dateTime(u.lastSeenAt, { dateStyle: "medium", timeStyle: "short" })}`
                        : "No open session"}
                    </div>
                  </TableCell>
                  <TableCell className="text-right align-top">
                    <Button asChild variant="outline" size="sm">
                      <Link href={`/users/${u.id}`} aria-label={`Manage ${u.username}`}>
                        Manage
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
            <h2>Add a user</h2>
          </CardTitle>
          <CardDescription>
            Members record and see the family&apos;s money; admins also manage users, accounts and backups.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <AddUserForm />
        </CardContent>
      </Card>
    </div>
  );
}
