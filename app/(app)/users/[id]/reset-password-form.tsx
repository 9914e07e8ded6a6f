"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";

import { FormMessage } from "@/components/form-message";
import { NewPasswordFields } from "@/components/new-password-fields";
import { Button } from "@/components/ui/button";
import { resetPassword } from "../actions";
import type { ResetPasswordState } from "../users-schema";

export function ResetPasswordForm({ userId, username }: { userId: number; username: string }) {
  const t = useTranslations("ManageUser");
  const [state, formAction, pending] = useActionState(resetPassword, { message: null } as ResetPasswordState);
  const errors = state.errors ?? {};
  return (
    <form action={formAction} className="grid gap-4" noValidate>
      <input type="hidden" name="userId" value={userId} />
      <NewPasswordFields
        idPrefix="reset"
        passwordLabel={t("newPasswordFor", { username })}
        confirmLabel={t("repeatNewPassword")}
        hint={t("passwordHint")}
        errors={errors}
      />
      <FormMessage message={state.message}>
        {state.done && (
          <p className="text-sm" data-testid="password-reset-done">
            {t("resetDone", { username, sessions: state.done.sessionsEnded })}
          </p>
        )}
      </FormMessage>
      <div>
        <Button type="submit" variant="outline" disabled={pending} aria-disabled={pending}>
          {pending ? t("resetting") : t("resetPassword")}
        </Button>
      </div>
    </form>
  );
}
