"use server";

import { redirect } from "next/navigation";

import { endSession } from "@/lib/web/auth";

export async function signOut(): Promise<void> {
  await endSession();
  redirect("/login");
}
