import { BackupWarning } from "@/components/backup-warning";
import { SiteHeader } from "@/components/site-header";
import { getTranslations } from "next-intl/server";

import { requireUser } from "@/lib/web/auth";
import { getCurrentFamily } from "@/lib/web/family";

// Layouts are not re-run on every client navigation: each page checks the session itself too.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const family = await getCurrentFamily(user.familyId);
  const t = await getTranslations("Common");

  return (
    <div className="flex min-h-dvh flex-col bg-muted/30">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-background px-3 py-2 text-sm focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
      >
        {t("skipToContent")}
      </a>
      <SiteHeader familyName={family.name} username={user.username} isAdmin={user.role === "admin"} />
      {user.role === "admin" && <BackupWarning timeZone={family.timeZone} />}
      <main id="main" className="mx-auto w-full max-w-5xl min-w-0 flex-1 px-4 py-6 sm:px-6 sm:py-8">
        {children}
      </main>
    </div>
  );
}
