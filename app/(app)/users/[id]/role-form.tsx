"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/form-message";
import { Label } from "@/components/ui/label";
import { Select, SelectOption } from "@/components/ui/select";
import { changeRole } from "../actions";
import type { ChangeRoleState } from "../users-schema";

export function RoleForm({ userId, username, role }: { userId: number; username: string; role: string }) {
  const t = useTranslations("ManageUser");
  const tUsers = useTranslations("Users");
  const [state, formAction, pending] = useActionState(changeRole, { message: null } as ChangeRoleState);
  return (
    // React resets the form after the action: the select shows the stored role again, the
    // new one after a success (the page is revalidated), the old one after a refusal.
    <form action={formAction} className="grid gap-2">
      <input type="hidden" name="userId" value={userId} />
      <Label htmlFor="user-role">{t("roleOf", { username })}</Label>
      <div className="flex flex-wrap gap-2">
        <div className="min-w-40 flex-1 basis-48">
          <Select id="user-role" name="role" defaultValue={role} aria-describedby="user-role-message">
            <SelectOption value="member">{tUsers("roles.member")}</SelectOption>
            <SelectOption value="admin">{tUsers("roles.admin")}</SelectOption>
          </Select>
        </div>
        <Button type="submit" variant="outline" disabled={pending} aria-disabled={pending}>
          {pending ? t("savingRole") : t("saveRole")}
        </Button>
      </div>
      <FormMessage id="user-role-message" message={state.message}>
        {/* Not while the next save is pending: an earlier "Role saved." would claim this one. */}
        {!pending && state.savedAt && <p className="text-sm text-muted-foreground">{t("roleSaved")}</p>}
      </FormMessage>
    </form>
  );
}
