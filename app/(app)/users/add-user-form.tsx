"use client";

import { useActionState, useState } from "react";
import { CircleAlertIcon, CircleCheckIcon } from "lucide-react";

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
  const [state, formAction, pending] = useActionState(createUser, initialState);
  const errors = state.errors ?? {};
  const values = state.values;

  return (
    <div className="grid gap-5">
      <div aria-live="polite" aria-atomic="true">
        {state.added && (
          <Alert role="status" data-testid="user-added">
            <CircleCheckIcon aria-hidden="true" />
            <AlertTitle>{state.added.username} was added.</AlertTitle>
            {state.added.generatedPassword && (
              <AlertDescription className="text-foreground">
                <p>Their password:</p>
                <code
                  className="my-1 block w-fit rounded bg-muted px-1.5 py-0.5 font-mono text-sm whitespace-nowrap"
                  data-testid="generated-password"
                >
                  {state.added.generatedPassword}
                </code>
                <p>It is shown only this once: give it to them now. They can change it on their account page.</p>
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
          <Label htmlFor="new-user-username">Username</Label>
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
            3 to 32 characters: lowercase letters, digits, dots, dashes and underscores. Used to sign in.
          </p>
          <FieldError id="new-user-username-error" errors={errors.username} />
        </div>

        <div className="grid gap-2">
          <Label htmlFor="new-user-display-name">
            Display name <span className="font-normal text-muted-foreground">(optional)</span>
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
          <Label htmlFor="new-user-role">Role</Label>
          <Select
            id="new-user-role"
            name="role"
            defaultValue={values?.role || "member"}
            aria-invalid={errors.role ? true : undefined}
            aria-describedby="new-user-role-error"
          >
            <SelectOption value="member">Member</SelectOption>
            <SelectOption value="admin">Admin</SelectOption>
          </Select>
          <FieldError id="new-user-role-error" errors={errors.role} />
        </div>

        <PasswordChoice initialMode={values?.passwordMode ?? "type"} errors={errors} />

        <div aria-live="polite" aria-atomic="true">
          {state.message && (
            <p className="flex items-center gap-2 text-sm text-destructive">
              <CircleAlertIcon className="size-4 shrink-0" aria-hidden="true" />
              {state.message}
            </p>
          )}
        </div>

        <div className="flex justify-end">
          <Button type="submit" disabled={pending} aria-disabled={pending} className="w-full sm:w-auto">
            {pending ? "Adding…" : "Add user"}
          </Button>
        </div>
      </form>
    </div>
  );
}

/** "Type a password" (with its confirmation) or "Generate one" (shown once after adding). */
function PasswordChoice({ initialMode, errors }: { initialMode: PasswordMode; errors: AddUserState["errors"] & {} }) {
  const [mode, setMode] = useState<PasswordMode>(initialMode);
  return (
    <fieldset className="grid gap-3">
      <legend className="mb-2 text-sm font-medium">Initial password</legend>
      <div className="flex flex-wrap gap-x-6 gap-y-2">
        {(
          [
            ["type", "Type a password"],
            ["generate", "Generate one"],
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
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="grid content-start gap-2">
            <Label htmlFor="new-user-password">Password</Label>
            <Input
              id="new-user-password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              aria-invalid={errors.password ? true : undefined}
              aria-describedby="new-user-password-hint new-user-password-error"
            />
            <p id="new-user-password-hint" className="text-sm text-muted-foreground">
              At least 8 characters.
            </p>
            <FieldError id="new-user-password-error" errors={errors.password} />
          </div>
          <div className="grid content-start gap-2">
            <Label htmlFor="new-user-confirm-password">Repeat the password</Label>
            <Input
              id="new-user-confirm-password"
              name="confirmPassword"
              type="password"
              autoComplete="new-password"
              required
              aria-invalid={errors.confirmPassword ? true : undefined}
              aria-describedby="new-user-confirm-password-error"
            />
            <FieldError id="new-user-confirm-password-error" errors={errors.confirmPassword} />
          </div>
        </div>
      ) : (
        <p className="text-sm text-muted-foreground">
          A password is generated when you add the user and shown to you once.
        </p>
      )}
    </fieldset>
  );
}
