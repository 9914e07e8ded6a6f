import { CircleAlertIcon } from "lucide-react";

/**
 * A form's own message, below its fields: the refusal (in red, with an icon) when there is
 * one, else whatever the form says on success (`children`). One live region, so a screen
 * reader announces either as it appears.
 */
export function FormMessage({
  id,
  message,
  children,
}: {
  id?: string;
  message?: string | null;
  children?: React.ReactNode;
}) {
  return (
    <div id={id} aria-live="polite" aria-atomic="true">
      {message ? (
        <p className="flex items-center gap-2 text-sm text-destructive">
          <CircleAlertIcon className="size-4 shrink-0" aria-hidden="true" />
          {message}
        </p>
      ) : (
        children
      )}
    </div>
  );
}
