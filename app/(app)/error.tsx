"use client";

import { useEffect } from "react";
import { useTranslations } from "next-intl";
import { CircleAlertIcon } from "lucide-react";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useTranslations("ErrorPage");
  useEffect(() => {
    console.error(error);
  }, [error]);

  // In production the message of a server error is withheld; the digest matches the server log.
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : undefined;

  return (
    <div className="grid max-w-xl gap-4">
      <Alert variant="destructive">
        <CircleAlertIcon aria-hidden="true" />
        <AlertTitle>{t("title")}</AlertTitle>
        <AlertDescription>
          <p>{t("text")}</p>
          {digest && <p className="font-mono text-xs">{t("reference", { digest })}</p>}
        </AlertDescription>
      </Alert>
      <div>
        <Button onClick={() => retry()}>{t("retry")}</Button>
      </div>
    </div>
  );
}
