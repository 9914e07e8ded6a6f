"use client";

import { useActionState } from "react";

import { FormMessage } from "@/components/form-message";
import { FieldError } from "@/components/field-error";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { saveName } from "./actions";
import type { NameFormState } from "./accounts-schema";

/** One name field: "New account" / "New category" when there is no id, a rename otherwise. */
export function NameForm({
  kind,
  id,
  name,
  label,
  submitLabel,
}: {
  kind: "account" | "category";
  id?: number;
  name?: string;
  label: string;
  submitLabel: string;
}) {
  const [state, formAction, pending] = useActionState(saveName, { message: null } as NameFormState);
  const field = `${kind}-${id ?? "new"}-name`;
  return (
    // Keyed on the outcome: a created item clears the field, a refused one keeps what was typed.
    <form
      key={`${state.savedAt ?? 0}-${state.values?.name ?? ""}`}
      action={formAction}
      className="grid gap-1.5"
      noValidate
    >
      <input type="hidden" name="kind" value={kind} />
      {id !== undefined && <input type="hidden" name="id" value={id} />}
      <Label htmlFor={field} className={id !== undefined ? "sr-only" : undefined}>
        {label}
      </Label>
      {/* Wraps on a phone so the name keeps a readable width beside the balance column. */}
      <div className="flex flex-wrap gap-2">
        <Input
          id={field}
          name="name"
          autoComplete="off"
          maxLength={60}
          required
          defaultValue={state.values?.name ?? name}
          aria-invalid={state.errors?.name ? true : undefined}
          aria-describedby={`${field}-error`}
          className="min-w-32 flex-1 basis-40"
        />
        <Button type="submit" size="sm" variant={id === undefined ? "default" : "outline"} disabled={pending}>
          {submitLabel}
        </Button>
      </div>
      <FieldError id={`${field}-error`} errors={state.errors?.name} />
      <FormMessage message={state.message} />
    </form>
  );
}
