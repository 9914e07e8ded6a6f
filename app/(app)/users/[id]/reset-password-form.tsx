"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { CircleAlertIcon } from "lucide-react";

import { FieldError } from "@/components/field-error";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { resetPassword } from "../actions";
import type { ResetPasswordState } from "../users-schema";

export function ResetPasswordForm({ userId, username }: { userId: number; username: string }) {
  const t = useTranslations("ManageUser");
  const [state, formAction, pending] = useActionState(resetPassword, { message: null } as ResetPasswordState);
  const errors = state.errors ?? {};
  return (
    <form action={formAction} className="grid gap-4" noValidate>
      <input type="hidden" name="userId" value={userId} />
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="grid content-start gap-2">
          <Label htmlFor="reset-password">{t("newPasswordFor", { username })}</Label>
          <Input
            id="reset-password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            aria-invalid={errors.password ? true : undefined}
            aria-describedby="reset-password-hint reset-password-error"
          />
          <p id="reset-password-hint" className="text-sm text-muted-foreground">
            {t("passwordHint")}
          </p>
          <FieldError id="reset-password-error" errors={errors.password} />
        </div>
        <div className="grid content-start gap-2">
          <Label htmlFor="reset-confirm-password">{t("repeatNewPassword")}</Label>
          <Input
            id="reset-confirm-password"
            name="confirmPassword"
            type="password"
            autoComplete="new-password"
            required
            aria-invalid={errors.confirmPassword ? true : undefined}
            aria-describedby="reset-confirm-password-error"
          />
          <FieldError id="reset-confirm-password-error" errors={errors.confirmPassword} />
        </div>
      </div>
      <div aria-live="polite" aria-atomic="true">
        {state.message ? (
          <p className="flex items-center gap-2 text-sm text-destructive">
            <CircleAlertIcon className="size-4 shrink-0" aria-hidden="true" />
            {state.message}
          </p>
        ) : (
          state.done && (
            <p className="text-sm" data-testid="password-reset-done">
              {t("resetDone", { username, sessions: state.done.sessionsEnded })}
            </p>
          )
        )}
      </div>
      <div>
        <Button type="submit" variant="outline" disabled={pending} aria-disabled={pending}>
          {pending ? t("resetting") : t("resetPassword")}
        </Button>
      </div>
    </form>
  );
}
