/**
 * Reason codes of the user-admin core → what the admin or user reads. The one place this
 * text is written (the translations will start from here).
 */
import type { AddUserResult } from "./add-user.ts";
import type { ChangeOwnPasswordResult } from "./change-own-password.ts";
import type { ChangeUserRoleResult } from "./change-user-role.ts";
import type { ResetUserPasswordResult } from "./reset-user-password.ts";
import type { SetUserActiveResult } from "./set-user-active.ts";

type Reason<T> = T extends { ok: false; reason: infer R } ? R : never;

export type UserRefusal =
  | Reason<AddUserResult>
  | Reason<ChangeUserRoleResult>
  | Reason<ResetUserPasswordResult>
  | Reason<SetUserActiveResult>
  | Reason<ChangeOwnPasswordResult>;

export const USER_REFUSALS: Record<UserRefusal, string> = {
  USERNAME_TAKEN: "That username is already taken. Choose another.",
  USER_NOT_FOUND: "That user no longer exists.",
  LAST_ADMIN: "The family must keep at least one active admin. Make another user an admin first.",
  SELF_RESET: "Change your own password on your account page, where your current password is asked for.",
  SELF_DEACTIVATION: "You cannot deactivate your own account.",
  WRONG_PASSWORD: "That is not your current password.",
};
