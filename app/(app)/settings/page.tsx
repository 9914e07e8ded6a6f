import type { Metadata } from "next";

import { requireAdmin } from "@/lib/web/auth";
import { BackupRestoreSection } from "./backup-restore-section";

// The title too is for admins only: a member must not learn from it what is at this address.
export async function generateMetadata(): Promise<Metadata> {
  await requireAdmin();
  return { title: "Settings" };
}

export default async function SettingsPage() {
  // Members get a 404 like an unknown address: nothing below is rendered for them.
  await requireAdmin();

  return (
    <div className="grid max-w-3xl grid-cols-1 gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <BackupRestoreSection />
    </div>
  );
}
