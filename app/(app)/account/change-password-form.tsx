"use client";

import { useActionState } from "react";
import { CircleAlertIcon, CircleCheckIcon } from "lucide-react";

import { FieldError } from "@/components/field-error";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { changePassword } from "./actions";
import type { ChangePasswordState } from "./account-schema";

const fields = [
  { name: "currentPassword", id: "current-password", label: "Current password", autoComplete: "current-password" },
  { name: "password", id: "new-password", label: "New password", autoComplete: "new-password" },
  { name: "confirmPassword", id: "confirm-password", label: "Repeat the new password", autoComplete: "new-password" },
] as const;

export function ChangePasswordForm() {
  const [state, formAction, pending] = useActionState(changePassword, { message: null } as ChangePasswordState);
  const errors = state.errors ?? {};
  return (
    <form action={formAction} className="grid gap-5" noValidate>
      {fields.map((field) => (
        <div key={field.name} className="grid gap-2">
          <Label htmlFor={field.id}>{field.label}</Label>
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
              At least 8 characters.
            </p>
          )}
          <FieldError id={`${field.id}-error`} errors={errors[field.name]} />
        </div>
      ))}
      <div aria-live="polite" aria-atomic="true">
        {state.message ? (
          <p className="flex items-center gap-2 text-sm text-destructive">
            <CircleAlertIcon className="size-4 shrink-0" aria-hidden="true" />
            {state.message}
          </p>
        ) : (
          state.done && (
            <p className="flex items-center gap-2 text-sm" data-testid="password-changed">
              <CircleCheckIcon className="size-4 shrink-0" aria-hidden="true" />
              Your password was changed.{" "}
              {state.done.sessionsEnded === 0
                ? "You had no other sessions."
                : state.done.sessionsEnded === 1
                  ? "Your other session was ended."
                  : `Your ${state.done.sessionsEnded} other sessions were ended.`}
            </p>
          )
        )}
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending} aria-disabled={pending} className="w-full sm:w-auto">
          {pending ? "Changing…" : "Change password"}
        </Button>
      </div>
    </form>
  );
}
