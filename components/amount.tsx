import { formatCents } from "@/lib/money";
import { cn } from "@/lib/utils";

/** An amount of cents in the family's currency; money going out is red, money coming in green. */
export function Amount({
  cents,
  currency,
  className,
  ...props
}: { cents: bigint; currency: string } & Omit<React.ComponentProps<"span">, "children">) {
  return (
    <span
      className={cn("tabular-nums", cents < 0n ? "text-destructive" : cents > 0n && "text-positive", className)}
      {...props}
    >
      {formatCents(cents, currency)}
    </span>
  );
}
