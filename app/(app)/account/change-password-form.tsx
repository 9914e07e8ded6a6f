"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { CircleCheckIcon } from "lucide-react";

import { FormMessage } from "@/components/form-message";
import { FieldError } from "@/components/field-error";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { changePassword } from "./actions";
import type { ChangePasswordState } from "./account-schema";

const fields = [
  { name: "currentPassword", id: "current-password", label: "currentPassword", autoComplete: "current-password" },
  { name: "password", id: "new-password", label: "newPassword", autoComplete: "new-password" },
  { name: "confirmPassword", id: "confirm-password", label: "repeatNewPassword", autoComplete: "new-password" },
] as const;

export function ChangePasswordForm() {
  const t = useTranslations("Account");
  const [state, formAction, pending] = useActionState(changePassword, { message: null } as ChangePasswordState);
  const errors = state.errors ?? {};
  return (
    <form action={formAction} className="grid gap-5" noValidate>
      {fields.map((field) => (
        <div key={field.name} className="grid gap-2">
          <Label htmlFor={field.id}>{t(field.label)}</Label>
          <Input
            id={field.id}
            name={field.name}
            type="password"
            autoComplete={field.autoComplete}
            required
            aria-invalid={errors[field.name] ? true : undefined}
            aria-describedby={`${field.name === "password" ? `${field.id}-hint ` : ""}${field.id}-error`}
          />
          {field.name === "password" && (
            <p id={`${field.id}-hint`} className="text-sm text-muted-foreground">
              {t("passwordHint")}
            </p>
          )}
          <FieldError id={`${field.id}-error`} errors={errors[field.name]} />
        </div>
      ))}
      <FormMessage message={state.message}>
        {state.done && (
          <p className="flex items-center gap-2 text-sm" data-testid="password-changed">
            <CircleCheckIcon className="size-4 shrink-0" aria-hidden="true" />
            {t("changed", { sessions: state.done.sessionsEnded })}
          </p>
        )}
      </FormMessage>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending} aria-disabled={pending} className="w-full sm:w-auto">
          {pending ? t("submitting") : t("submit")}
        </Button>
      </div>
    </form>
  );
}
