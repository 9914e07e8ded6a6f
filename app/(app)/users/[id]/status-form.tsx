"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/form-message";
import { setUserStatus } from "../actions";
import type { SetActiveState } from "../users-schema";

/** One button: deactivate an active user, or reactivate a deactivated one. */
export function StatusForm({ userId, username, active }: { userId: number; username: string; active: boolean }) {
  const t = useTranslations("ManageUser");
  const [state, formAction, pending] = useActionState(setUserStatus, { message: null } as SetActiveState);
  return (
    <form action={formAction} className="grid gap-2">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="active" value={active ? "false" : "true"} />
      <div>
        <Button
          type="submit"
          variant={active ? "destructive" : "outline"}
          disabled={pending}
          aria-disabled={pending}
          aria-describedby="user-status-message"
        >
          {active ? t("deactivate", { username }) : t("reactivate", { username })}
        </Button>
      </div>
      <FormMessage id="user-status-message" message={state.message} />
    </form>
  );
}
