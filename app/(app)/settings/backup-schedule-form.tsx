"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";

import { FieldError } from "@/components/field-error";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

import { saveBackupSchedule } from "./backup-catalogue-actions";
import type { BackupScheduleState } from "./backup-schedule-schema";

export function BackupScheduleForm({ schedule, next }: { schedule: string; next: string | null }) {
  const t = useTranslations("BackupSchedule");
  const [state, formAction, pending] = useActionState(saveBackupSchedule, {} as BackupScheduleState);
  return (
    <form key={`${state.savedAt ?? 0}`} action={formAction} className="grid gap-2 sm:max-w-md" noValidate>
      <Label htmlFor="backup-schedule">{t("label")}</Label>
      <div className="flex gap-2">
        <Input
          id="backup-schedule"
          name="schedule"
          defaultValue={state.schedule ?? schedule}
          aria-invalid={state.errors?.schedule ? true : undefined}
          aria-describedby="backup-schedule-hint backup-schedule-error"
          className="font-mono"
        />
        <Button type="submit" variant="outline" disabled={pending}>
          {t("save")}
        </Button>
      </div>
      <p id="backup-schedule-hint" className="text-sm text-muted-foreground" data-testid="backup-schedule-next">
        {next ? t("next", { when: next }) : t("off")}
      </p>
      <FieldError id="backup-schedule-error" errors={state.errors?.schedule} />
      {state.savedAt && (
        <p className="text-sm" role="status">
          {t("saved")}
        </p>
      )}
    </form>
  );
}
