import { useTranslations } from "next-intl";
import { LoaderCircleIcon } from "lucide-react";

export default function Loading() {
  const t = useTranslations("Finance");
  return (
    <div role="status" className="flex items-center gap-2 py-12 text-sm text-muted-foreground">
      <LoaderCircleIcon className="size-4 animate-spin" aria-hidden="true" />
      {t("loading")}
    </div>
  );
}
