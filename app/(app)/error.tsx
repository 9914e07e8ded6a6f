"use client";

import { useEffect } from "react";
import { CircleAlertIcon } from "lucide-react";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  // In production the message of a server error is withheld; the digest matches the server log.
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : undefined;

  return (
    <div className="grid max-w-xl gap-4">
      <Alert variant="destructive">
        <CircleAlertIcon aria-hidden="true" />
        <AlertTitle>Something went wrong</AlertTitle>
        <AlertDescription>
          <p>The page could not be shown. Try again; if it keeps failing, check the server log.</p>
          {digest && <p className="font-mono text-xs">Reference: {digest}</p>}
        </AlertDescription>
      </Alert>
      <div>
        <Button onClick={() => retry()}>Try again</Button>
      </div>
    </div>
  );
}
