import { LoaderCircleIcon } from "lucide-react";

export default function Loading() {
  return (
    <div role="status" className="flex items-center gap-2 py-12 text-sm text-muted-foreground">
      <LoaderCircleIcon className="size-4 animate-spin" aria-hidden="true" />
      Loading…
    </div>
  );
}
