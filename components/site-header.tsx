import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LogOutIcon, UserRoundIcon, WalletIcon } from "lucide-react";

import { signOut } from "@/app/(app)/actions";
import { LocaleSwitcher } from "@/components/locale-switcher";
import { MainNav } from "@/components/main-nav";
import { Button } from "@/components/ui/button";

export async function SiteHeader({
  familyName,
  username,
  isAdmin,
}: {
  familyName: string;
  username: string;
  isAdmin: boolean;
}) {
  const t = await getTranslations();
  return (
    <header className="border-b bg-background">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <div className="flex min-w-0 flex-col sm:flex-row sm:items-baseline sm:gap-2">
          <Link
            href="/"
            className="flex items-center gap-2 self-start rounded-md sm:self-center font-semibold tracking-tight outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
          >
            <WalletIcon className="size-5 shrink-0" aria-hidden="true" />
            {t("Common.appName")}
          </Link>
          <span className="truncate pl-7 text-xs text-muted-foreground sm:pl-0 sm:text-sm" data-testid="family-name">
            {familyName}
          </span>
        </div>
        <MainNav isAdmin={isAdmin} />
        <div className="ml-auto flex flex-wrap items-center justify-end gap-x-3 gap-y-2">
          <LocaleSwitcher />
          {/* Named by its text, not aria-label, so it is no form control's "label". */}
          <Link
            href="/account"
            className="inline-flex max-w-40 items-center gap-1.5 rounded-md text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
          >
            <UserRoundIcon className="size-4 shrink-0" aria-hidden="true" />
            <span className="sr-only">{t("Nav.account")}: </span>
            <span className="truncate" data-testid="current-user">
              {username}
            </span>
          </Link>
          <form action={signOut}>
            <Button type="submit" variant="outline" size="sm">
              <LogOutIcon aria-hidden="true" />
              {t("Common.signOut")}
            </Button>
          </form>
        </div>
      </div>
    </header>
  );
}
