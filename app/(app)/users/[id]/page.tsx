import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ArrowLeftIcon } from "lucide-react";

import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getDb } from "@/lib/app/live-database";
import { listUsers } from "@/lib/users/list-users";
import { requireAdmin } from "@/lib/web/auth";
import { ResetPasswordForm } from "./reset-password-form";
import { RoleForm } from "./role-form";
import { StatusForm } from "./status-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("ManageUser");
  return { title: t("title") };
}

/** One user of the family: role, password reset, deactivation. Admins only. */
export default async function ManageUserPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requireAdmin();
  const { id: rawId } = await params;
  const id = Number(rawId);
  if (!/^\d+$/.test(rawId) || !Number.isSafeInteger(id)) notFound();
  const [user] = await listUsers(await getDb(), admin.familyId, { id });
  if (!user) notFound();
  const self = user.id === admin.id;
  const t = await getTranslations("ManageUser");
  const tUsers = await getTranslations("Users");
  const username = user.username;

  return (
    <div className="grid max-w-2xl grid-cols-1 gap-6">
      <div className="grid gap-2">
        <Link
          href="/users"
          className="inline-flex w-fit items-center gap-1 rounded-md text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          <ArrowLeftIcon className="size-4" aria-hidden="true" />
          {t("allUsers")}
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight break-all">{user.username}</h1>
        <div className="flex flex-wrap items-center gap-1.5">
          {user.displayName && <span className="mr-1 text-muted-foreground">{user.displayName}</span>}
          <Badge variant={user.role === "admin" ? "default" : "secondary"}>
            {tUsers(`roles.${user.role === "admin" ? "admin" : "member"}`)}
          </Badge>
          {user.active ? (
            <Badge variant="outline">{tUsers("active")}</Badge>
          ) : (
            <Badge variant="destructive">{tUsers("deactivated")}</Badge>
          )}
          {self && <Badge variant="outline">{tUsers("you")}</Badge>}
        </div>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>{t("roleTitle")}</h2>
          </CardTitle>
          <CardDescription>{t("roleDescription")}</CardDescription>
        </CardHeader>
        <CardContent>
          <RoleForm userId={user.id} username={user.username} role={user.role} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>{t("passwordTitle")}</h2>
          </CardTitle>
          <CardDescription>{self ? t("passwordSelf") : t("passwordOther", { username })}</CardDescription>
        </CardHeader>
        <CardContent>
          {self ? (
            <Link href="/account" className="text-sm font-medium underline underline-offset-4">
              {t("changeYourPassword")}
            </Link>
          ) : (
            <ResetPasswordForm userId={user.id} username={user.username} />
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>{t("accessTitle")}</h2>
          </CardTitle>
          <CardDescription>
            {self ? t("accessSelf") : user.active ? t("accessActive", { username }) : t("accessInactive", { username })}
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
