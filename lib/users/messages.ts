/**
 * Reason codes of the user-admin core → what the admin or user reads. The texts live with the
 * app's other translations (`lib/i18n/messages/<locale>/users.json`, "UserRefusals"): the web
 * actions translate the code; any caller without a locale (logs, scripts) uses the English
 * ones from here.
 */
import en from "../i18n/messages/en/users.json" with { type: "json" };
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

// Typed against the union: a code without an English text is a compile error.
export const USER_REFUSALS: Record<UserRefusal, string> = en.UserRefusals;
