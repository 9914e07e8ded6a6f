"use client";

import { useTranslations } from "next-intl";

import { Button } from "@/components/ui/button";

import { useRestoreFlow } from "./restore-flow";

/** Restore one backup of the catalogue: the same dialogs as a chosen file, without an upload. */
export function RestoreCatalogueButton({ file, when }: { file: string; when: string }) {
  const t = useTranslations("BackupCatalogue");
  const { busy, ready, demoMode, askToRestore } = useRestoreFlow();
  return (
    <Button
      type="button"
      variant="ghost"
      size="sm"
      disabled={!ready || busy || demoMode}
      onClick={() => askToRestore({ kind: "catalogue", file, when })}
    >
      {t("restore")}
    </Button>
  );
}
