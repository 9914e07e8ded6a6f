"use client";

import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { CircleCheckIcon } from "lucide-react";

import { FormMessage } from "@/components/form-message";
import { NewPasswordFields } from "@/components/new-password-fields";
import { FieldError } from "@/components/field-error";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectOption } from "@/components/ui/select";
import { createUser } from "./actions";
import type { AddUserState, PasswordMode } from "./users-schema";

const initialState: AddUserState = { message: null, errors: {} };

export function AddUserForm() {
  const t = useTranslations("UserForm");
  const tUsers = useTranslations("Users");
  const [state, formAction, pending] = useActionState(createUser, initialState);
  const errors = state.errors ?? {};
  const values = state.values;

  return (
    <div className="grid gap-5">
      <div aria-live="polite" aria-atomic="true">
        {state.added && (
          <Alert role="status" data-testid="user-added">
            <CircleCheckIcon aria-hidden="true" />
            <AlertTitle>{t("added", { username: state.added.username })}</AlertTitle>
            {state.added.generatedPassword && (
              <AlertDescription className="text-foreground">
                <p>{t("theirPassword")}</p>
                <code
                  className="my-1 block w-fit rounded bg-muted px-1.5 py-0.5 font-mono text-sm whitespace-nowrap"
                  data-testid="generated-password"
                >
                  {state.added.generatedPassword}
                </code>
                <p>{t("shownOnce")}</p>
              </AlertDescription>
            )}
          </Alert>
        )}
      </div>

      {/* Keyed on the outcome: a success clears the form, a refusal keeps what was typed. */}
      <form
        key={`${state.added?.at ?? 0}-${JSON.stringify(values ?? null)}`}
        action={formAction}
        className="grid gap-5"
        noValidate
      >
        <div className="grid gap-2">
          <Label htmlFor="new-user-username">{t("username")}</Label>
          <Input
            id="new-user-username"
            name="username"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            minLength={3}
            maxLength={32}
            defaultValue={values?.username}
            aria-invalid={errors.username ? true : undefined}
            aria-describedby="new-user-username-hint new-user-username-error"
          />
          <p id="new-user-username-hint" className="text-sm text-muted-foreground">
            {t("usernameHint")}
          </p>
          <FieldError id="new-user-username-error" errors={errors.username} />
        </div>

        <div className="grid gap-2">
          <Label htmlFor="new-user-display-name">
            {t("displayName")} <span className="font-normal text-muted-foreground">{t("optional")}</span>
          </Label>
          <Input
            id="new-user-display-name"
            name="displayName"
            autoComplete="off"
            maxLength={60}
            defaultValue={values?.displayName}
            aria-invalid={errors.displayName ? true : undefined}
            aria-describedby="new-user-display-name-error"
          />
          <FieldError id="new-user-display-name-error" errors={errors.displayName} />
        </div>

        <div className="grid gap-2">
          <Label htmlFor="new-user-role">{t("role")}</Label>
          <Select
            id="new-user-role"
            name="role"
            defaultValue={values?.role || "member"}
            aria-invalid={errors.role ? true : undefined}
            aria-describedby="new-user-role-error"
          >
            <SelectOption value="member">{tUsers("roles.member")}</SelectOption>
            <SelectOption value="admin">{tUsers("roles.admin")}</SelectOption>
          </Select>
          <FieldError id="new-user-role-error" errors={errors.role} />
        </div>

        <PasswordChoice initialMode={values?.passwordMode ?? "type"} errors={errors} />

        <FormMessage message={state.message} />

        <div className="flex justify-end">
          <Button type="submit" disabled={pending} aria-disabled={pending} className="w-full sm:w-auto">
            {pending ? t("submitting") : t("submit")}
          </Button>
        </div>
      </form>
    </div>
  );
}

/** "Type a password" (with its confirmation) or "Generate one" (shown once after adding). */
function PasswordChoice({ initialMode, errors }: { initialMode: PasswordMode; errors: AddUserState["errors"] & {} }) {
  const t = useTranslations("UserForm");
  const [mode, setMode] = useState<PasswordMode>(initialMode);
  return (
    <fieldset className="grid gap-3">
      <legend className="mb-2 text-sm font-medium">{t("initialPassword")}</legend>
      <div className="flex flex-wrap gap-x-6 gap-y-2">
        {(
          [
            ["type", t("typePassword")],
            ["generate", t("generatePassword")],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="passwordMode"
              value={value}
              checked={mode === value}
              onChange={() => setMode(value)}
              className="size-4 accent-primary"
            />
            {label}
          </label>
        ))}
      </div>
      {mode === "type" ? (
        <NewPasswordFields
          idPrefix="new-user"
          passwordLabel={t("password")}
          confirmLabel={t("repeatPassword")}
          hint={t("passwordHint")}
          errors={errors}
        />
      ) : (
        <p className="text-sm text-muted-foreground">{t("generatedHint")}</p>
      )}
    </fieldset>
  );
}
