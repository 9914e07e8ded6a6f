import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { InfoIcon, WalletIcon } from "lucide-react";

import { LocaleSwitcher } from "@/components/locale-switcher";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/web/auth";
import { LoginForm } from "./login-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("Login");
  return { title: t("title") };
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (await getCurrentUser()) redirect("/");
  const { restored } = await searchParams;
  const t = await getTranslations();

  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted/40 p-4">
      <div className="grid w-full max-w-sm gap-4">
        <div className="flex items-center justify-center gap-2 text-lg font-semibold">
          <WalletIcon className="size-5" aria-hidden="true" />
          {t("Common.appName")}
        </div>
        {restored === "1" && (
          <Alert role="status">
            <InfoIcon aria-hidden="true" />
            <AlertDescription className="text-foreground">{t("Login.restored")}</AlertDescription>
          </Alert>
        )}
        <Card>
          <CardHeader>
            <CardTitle>
              <h1 className="text-xl">{t("Login.title")}</h1>
            </CardTitle>
            <CardDescription>{t("Login.description")}</CardDescription>
          </CardHeader>
          <CardContent>
            <LoginForm />
          </CardContent>
        </Card>
        <LocaleSwitcher className="justify-center" />
      </div>
    </main>
  );
}
