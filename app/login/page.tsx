import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { InfoIcon, WalletIcon } from "lucide-react";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/web/auth";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (await getCurrentUser()) redirect("/");
  const { restored } = await searchParams;

  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted/40 p-4">
      <div className="grid w-full max-w-sm gap-4">
        <div className="flex items-center justify-center gap-2 text-lg font-semibold">
          <WalletIcon className="size-5" aria-hidden="true" />
          WIMM-Finance
        </div>
        {restored === "1" && (
          <Alert role="status">
            <InfoIcon aria-hidden="true" />
            <AlertDescription className="text-foreground">
              The backup was restored. Please sign in again.
            </AlertDescription>
          </Alert>
        )}
        <Card>
          <CardHeader>
            <CardTitle>
              <h1 className="text-xl">Sign in</h1>
            </CardTitle>
            <CardDescription>Where is my money? Sign in to your family&apos;s books.</CardDescription>
          </CardHeader>
          <CardContent>
            <LoginForm />
          </CardContent>
        </Card>
      </div>
    </main>
  );
}
