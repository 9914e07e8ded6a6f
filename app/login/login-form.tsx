"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FormMessage } from "@/components/form-message";
import { FieldError } from "@/components/field-error";
import { signIn } from "./actions";
import type { LoginState } from "./login-schema";

const initialState: LoginState = { message: null, errors: {} };

export function LoginForm() {
  const t = useTranslations("Login");
  const [state, formAction, pending] = useActionState(signIn, initialState);

  return (
    <form action={formAction} className="grid gap-5" noValidate>
      <div className="grid gap-2">
        <Label htmlFor="username">{t("username")}</Label>
        <Input
          id="username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          defaultValue={state.username}
          aria-invalid={state.errors?.username ? true : undefined}
          aria-describedby="username-error"
        />
        <FieldError id="username-error" errors={state.errors?.username} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor="password">{t("password")}</Label>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={state.errors?.password ? true : undefined}
          aria-describedby="password-error"
        />
        <FieldError id="password-error" errors={state.errors?.password} />
      </div>
      <FormMessage id="login-error" message={state.message} />
      <Button type="submit" className="w-full" disabled={pending} aria-disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
