"use client";

import { useFormatter, useTranslations } from "next-intl";

import { Progress } from "@/components/ui/progress";
import type { RestorePhase } from "@/lib/backup-restore/vocabulary";

/** How far the step the page is waiting on has got: the upload's bytes, or the restore's phase on the server. */
export type WorkingProgress = {
  phase: RestorePhase | "upload";
  done: number;
  total: number | null;
  /** The whole restore's (or the upload's) share done, 0–100. */
  percent: number;
  secondsLeft: number | null;
};

const MB = 1024 * 1024;

/**
 * The bar, the step in words, how much of it is done, and the time left. The data-*
 * attributes say the same for the end-to-end tests, which follow the phases by them.
 */
export function RestoreProgressView({ progress }: { progress: WorkingProgress }) {
  const t = useTranslations("RestoreProgress");
  const format = useFormatter();
  const { phase, done, total, percent, secondsLeft } = progress;
  let amount: string | null = null;
  if (total !== null && phase === "upload")
    amount = t("megabytes", {
      done: format.number(done / MB, { maximumFractionDigits: 1 }),
      total: format.number(total / MB, { maximumFractionDigits: 1 }),
    });
  else if (total !== null && phase === "copy")
    amount = t("rows", { done: format.number(done), total: format.number(total) });
  const left =
    secondsLeft === null
      ? phase === "upload"
        ? null
        : t("estimating")
      : secondsLeft >= 120
        ? t("minutesLeft", { minutes: format.number(Math.round(secondsLeft / 60)) })
        : t("secondsLeft", { seconds: format.number(secondsLeft) });
  return (
    // Rows and seconds change several times a second: not read out (aria-live off); the
    // phase is, each time it changes.
    <div
      className="grid gap-2"
      aria-live="off"
      data-testid="restore-progress"
      data-phase={phase}
      data-done={done}
      data-total={total ?? ""}
      data-percent={percent}
    >
      <p role="status" className="text-sm font-medium" data-testid="restore-phase">
        {t(`phases.${phase}`)}
      </p>
      <Progress value={percent} aria-label={t(`phases.${phase}`)} />
      <p className="flex flex-wrap justify-between gap-x-4 text-sm text-muted-foreground">
        <span>{amount}</span>
        <span data-testid="restore-time-left">{left}</span>
      </p>
      {phase !== "upload" && <p className="text-xs text-muted-foreground">{t("runsOnServer")}</p>}
    </div>
  );
}
