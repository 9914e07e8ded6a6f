"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";

import { Button } from "@/components/ui/button";
import { setArchived } from "./actions";
import type { ArchiveFormState } from "./accounts-schema";

export function ArchiveButton({
  kind,
  id,
  name,
  archived,
}: {
  kind: "account" | "category";
  id: number;
  name: string;
  archived: boolean;
}) {
  const [state, formAction, pending] = useActionState(setArchived, { message: null } as ArchiveFormState);
  const t = useTranslations("Accounts");
  return (
    <form action={formAction} className="inline-flex flex-col items-start">
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="archived" value={archived ? "false" : "true"} />
      <Button
        type="submit"
        size="sm"
        variant="outline"
        disabled={pending}
        aria-label={archived ? t("unarchiveLabel", { name }) : t("archiveLabel", { name })}
      >
        {archived ? t("unarchive") : t("archive")}
      </Button>
      <span aria-live="polite" className="text-xs text-destructive">
        {state.message}
      </span>
    </form>
  );
}
