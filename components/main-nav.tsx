"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

import { cn } from "@/lib/utils";

const links = [
  { href: "/", label: "dashboard" },
  { href: "/transactions", label: "transactions" },
  { href: "/transactions/new", label: "addTransaction" },
  { href: "/accounts", label: "accounts" },
] as const;

const adminLinks = [
  { href: "/users", label: "users" },
  { href: "/settings", label: "settings" },
] as const;

export function MainNav({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  const t = useTranslations("Nav");
  const items = isAdmin ? [...links, ...adminLinks] : links;
  // The link whose address is the longest prefix of this page's: /users/7 is under Users,
  // /transactions/7/edit under Transactions, /transactions/new its own link.
  const currentHref = items
    .map((item) => item.href as string)
    .filter((href) => pathname === href || (href !== "/" && pathname.startsWith(`${href}/`)))
    .sort((a, b) => b.length - a.length)[0];

  return (
    <nav aria-label={t("label")} className="order-last -mx-2 w-full md:order-none md:mx-0 md:w-auto">
      <ul className="flex flex-wrap items-center gap-1 whitespace-nowrap">
        {items.map(({ href, label }) => {
          const current = href === currentHref;
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "inline-flex h-8 items-center rounded-md px-2.5 text-sm sm:px-3 font-medium text-muted-foreground transition-colors outline-none hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
                  current && "bg-accent text-foreground",
                )}
              >
                {t(label)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
