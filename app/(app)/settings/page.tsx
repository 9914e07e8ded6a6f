import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

import { requireAdmin } from "@/lib/web/auth";
import { getCurrentFamily } from "@/lib/web/family";
import { BackupRestoreSection } from "./backup-restore-section";
import { FamilySection } from "./family-section";

// The title too is for admins only: a member must not learn from it what is at this address.
export async function generateMetadata(): Promise<Metadata> {
  await requireAdmin();
  return { title: (await getTranslations("Settings"))("title") };
}

export default async function SettingsPage() {
  // Members get a 404 like an unknown address: nothing below is rendered for them.
  const user = await requireAdmin();
  const [t, family] = await Promise.all([getTranslations("Settings"), getCurrentFamily(user.familyId)]);

  return (
    <div className="grid max-w-3xl grid-cols-1 gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
      <FamilySection family={family} />
      <BackupRestoreSection timeZone={family.timeZone} familyName={family.name} />
    </div>
  );
}
