import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeftIcon } from "lucide-react";

import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getDb } from "@/lib/db/live";
import { listUsers } from "@/lib/users/list-users";
import { requireAdmin } from "@/lib/web/auth";
import { ResetPasswordForm } from "./reset-password-form";
import { RoleForm } from "./role-form";
import { StatusForm } from "./status-form";

export const metadata: Metadata = { title: "Manage user" };

/** One user of the family: role, password reset, deactivation. Admins only. */
export default async function ManageUserPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requireAdmin();
  const { id: rawId } = await params;
  const id = Number(rawId);
  if (!/^\d+$/.test(rawId) || !Number.isSafeInteger(id)) notFound();
  const [user] = await listUsers(await getDb(), admin.familyId, { id });
  if (!user) notFound();
  const self = user.id === admin.id;

  return (
    <div className="grid max-w-2xl grid-cols-1 gap-6">
      <div className="grid gap-2">
        <Link
          href="/users"
          className="inline-flex w-fit items-center gap-1 rounded-md text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          <ArrowLeftIcon className="size-4" aria-hidden="true" />
          All users
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight break-all">{user.username}</h1>
        <div className="flex flex-wrap items-center gap-1.5">
          {user.displayName && <span className="mr-1 text-muted-foreground">{user.displayName}</span>}
          <Badge variant={user.role === "admin" ? "default" : "secondary"}>
            {user.role === "admin" ? "Admin" : "Member"}
          </Badge>
          {user.active ? <Badge variant="outline">Active</Badge> : <Badge variant="destructive">Deactivated</Badge>}
          {self && <Badge variant="outline">You</Badge>}
        </div>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Role</h2>
          </CardTitle>
          <CardDescription>
            Admins manage users, accounts and backups. The family always keeps at least one active admin.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <RoleForm userId={user.id} username={user.username} role={user.role} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Password</h2>
          </CardTitle>
          <CardDescription>
            {self
              ? "Your own password is changed on your account page, where your current password is asked for."
              : `Set a new password for ${user.username} and tell them. Every session of theirs ends at once.`}
          </CardDescription>
        </CardHeader>
        <CardContent>
          {self ? (
            <Link href="/account" className="text-sm font-medium underline underline-offset-4">
              Change your password
            </Link>
          ) : (
            <ResetPasswordForm userId={user.id} username={user.username} />
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Access</h2>
          </CardTitle>
          <CardDescription>
            {self
              ? "You cannot deactivate your own account."
              : user.active
                ? `Deactivating ${user.username} ends their sessions at once and stops them from signing in. Their transactions stay.`
                : `${user.username} cannot sign in. Reactivating lets them sign in again with their password.`}
          </CardDescription>
        </CardHeader>
        {!self && (
          <CardContent>
            <StatusForm userId={user.id} username={user.username} active={user.active} />
          </CardContent>
        )}
      </Card>
    </div>
  );
}
