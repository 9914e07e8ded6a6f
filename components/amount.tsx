import { useLocale } from "next-intl";

import { formatCents } from "@/lib/money";
import { cn } from "@/lib/utils";

/**
 * An amount of cents in the family's currency, written the way the UI's language writes money
 * (pt-BR `R$ 1.234,56`, en `R$1,234.56`); money going out is red, money coming in green.
 * useLocale() works in server and client components alike.
 */
export function Amount({
  cents,
  currency,
  className,
  ...props
}: { cents: bigint; currency: string } & Omit<React.ComponentProps<"span">, "children">) {
  const locale = useLocale();
  return (
    <span
      className={cn("tabular-nums", cents < 0n ? "text-destructive" : cents > 0n && "text-positive", className)}
      {...props}
    >
      {formatCents(cents, currency, locale)}
    </span>
  );
}
