import type { Metadata } from "next";

import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireUser } from "@/lib/web/auth";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Your account" };

/** Every signed-in user: who they are, and their password. */
export default async function AccountPage() {
  const user = await requireUser();

  return (
    <div className="grid max-w-xl grid-cols-1 gap-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Your account</h1>
        <p className="text-muted-foreground">
          Signed in as <span className="font-medium text-foreground">{user.username}</span>
          {user.displayName ? ` (${user.displayName})` : ""}. Role: {user.role === "admin" ? "admin" : "member"}.
        </p>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Change password</h2>
          </CardTitle>
          <CardDescription>
            Your other sessions (other browsers and devices) end when you change it; this one stays signed in.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ChangePasswordForm />
        </CardContent>
      </Card>
    </div>
  );
}
