"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";

import { FieldError } from "@/components/field-error";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { RetentionPolicy } from "@/lib/backup-restore/backups/plan-retention";
import { RETENTION_BOUNDS, RETENTION_FIELDS } from "@/lib/backup-restore/backups/retention-policy";

import { saveBackupRetention } from "./backup-catalogue-actions";
import { retentionValues, type BackupRetentionState } from "./backup-retention-schema";

/**
 * Which backups retention keeps: five numbers, and the saved policy in words above them (the
 * page passes the policy read from the settings file, so the sentence is what pruning does).
 */
export function BackupRetentionForm({ policy }: { policy: RetentionPolicy }) {
  const t = useTranslations("BackupRetention");
  const [state, formAction, pending] = useActionState(saveBackupRetention, {} as BackupRetentionState);
  const values = state.values ?? retentionValues(policy);
  return (
    <form
      key={`${state.savedAt ?? 0}`}
      action={formAction}
      className="grid gap-3"
      noValidate
      aria-labelledby="backup-retention-title"
    >
      <h4 id="backup-retention-title" className="text-sm font-medium">
        {t("title")}
      </h4>
      <p className="text-sm text-muted-foreground" data-testid="retention-summary">
        {t("summary", {
          hours: policy.keepAllHours,
          daily: policy.daily,
          weekly: policy.weekly,
          monthly: policy.monthly,
          safetyDays: policy.safetyDays,
        })}
      </p>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {RETENTION_FIELDS.map((field) => {
          const id = `backup-retention-${field}`;
          return (
            <div key={field} className="grid content-start gap-1">
              <Label htmlFor={id}>{t(`fields.${field}`)}</Label>
              <Input
                id={id}
                name={field}
                type="number"
                inputMode="numeric"
                min={RETENTION_BOUNDS[field].min}
                max={RETENTION_BOUNDS[field].max}
                step={1}
                defaultValue={values[field]}
                aria-invalid={state.errors?.[field] ? true : undefined}
                aria-describedby={`${id}-error`}
                className="sm:max-w-32"
              />
              <FieldError id={`${id}-error`} errors={state.errors?.[field]} />
            </div>
          );
        })}
      </div>
      <FormMessage message={state.message}>
        {state.savedAt && (
          <p className="text-sm" role="status">
            {t("saved")}
          </p>
        )}
      </FormMessage>
      <div>
        <Button type="submit" variant="outline" disabled={pending}>
          {t("save")}
        </Button>
      </div>
    </form>
  );
}
