import type { Metadata } from "next";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";

import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireUser } from "@/lib/web/auth";
import { ChangePasswordForm } from "./change-password-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Account");
  return { title: t("title") };
}

/** Every signed-in user: who they are, and their password. */
export default async function AccountPage() {
  const user = await requireUser();
  const t = await getTranslations("Account");
  const name = (chunks: ReactNode) => <span className="font-medium text-foreground">{chunks}</span>;

  return (
    <div className="grid max-w-xl grid-cols-1 gap-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
        <p className="text-muted-foreground">
          {user.displayName
            ? t.rich("signedInAsNamed", { username: user.username, displayName: user.displayName, name })
            : t.rich("signedInAs", { username: user.username, name })}{" "}
          {t("role", { role: user.role })}
        </p>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>{t("changeTitle")}</h2>
          </CardTitle>
          <CardDescription>{t("changeDescription")}</CardDescription>
        </CardHeader>
        <CardContent>
          <ChangePasswordForm />
        </CardContent>
      </Card>
    </div>
  );
}
