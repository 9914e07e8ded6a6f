import type { Metadata } from "next";
import Link from "next/link";

import { restoreInProgress } from "@/lib/web/maintenance";

export const metadata: Metadata = { title: "Restore in progress" };
export const dynamic = "force-dynamic";

/** Where every page sends people while a restore holds the maintenance lock. */
export default function MaintenancePage() {
  const busy = restoreInProgress();
  return (
    <main className="mx-auto grid min-h-dvh max-w-md content-center gap-4 px-6 text-center">
      {busy && <meta httpEquiv="refresh" content="5" />}
      <h1 className="text-2xl font-semibold tracking-tight">
        {busy ? "Restore in progress" : "The restore has finished"}
      </h1>
      <p className="text-muted-foreground">
        {busy
          ? "An administrator is restoring a backup. The app accepts no changes until it is done; this page checks again every few seconds."
          : "Every session has ended: please sign in again."}
      </p>
      {!busy && (
        <p>
          <Link className="underline" href="/login">
            Sign in
          </Link>
        </p>
      )}
    </main>
  );
}
