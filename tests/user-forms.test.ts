/**
 * The zod schemas behind the users, account and login forms: which field each error lands
 * beside, as a message key, and what that key reads in English and in Portuguese once the
 * action has translated it. Also the throttle's message (which limit, how long, plurals).
 */
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ChangePasswordSchema } from "../app/(app)/account/account-schema.ts";
import { AddUserSchema, ResetPasswordSchema } from "../app/(app)/users/users-schema.ts";
import { LoginSchema, translateLoginErrors } from "../app/login/login-schema.ts";
import { throttleMessage } from "../lib/auth/throttle-messages.ts";
import { MESSAGES } from "../lib/i18n/messages.ts";
import { USER_REFUSALS } from "../lib/users/messages.ts";
import { translatePasswordFormErrors } from "../lib/web/new-password-schema.ts";

const errorsOf = (result: { success: boolean; error?: z.ZodError }) =>
  result.success ? {} : z.flattenError(result.error!).fieldErrors;

const en = createTranslator({ locale: "en", messages: MESSAGES.en });
const pt = createTranslator({ locale: "pt-BR", messages: MESSAGES["pt-BR"] });

/** The add-user form's errors as its action translates them. */
const userFormErrors = (t: typeof en, fieldErrors: Record<string, string[] | undefined>) =>
  translatePasswordFormErrors(
    fieldErrors,
    MESSAGES.en.UserForm.errors,
    (k) => t(`UserForm.errors.${k}`),
    (k) => t(`PasswordErrors.${k}`),
  );

const valid = {
  username: "joana",
  displayName: "",
  role: "member",
  password: "long-enough",
  confirmPassword: "long-enough",
};

describe("AddUserSchema", () => {
  it("accepts a trimmed lowercase username with . _ - and turns an empty display name into null", () => {
    const parsed = AddUserSchema.parse({ ...valid, username: "  jo.ana_s-2 " });
    expect(parsed).toMatchObject({ username: "jo.ana_s-2", displayName: null, role: "member" });
  });

  it.each([
    ["   ", "usernameRequired"],
    ["jo", "usernameTooShort"],
    ["J!", "usernameTooShort"],
    ["a".repeat(33), "usernameTooLong"],
    ["Joana", "usernameCharacters"],
    ["jo ana", "usernameCharacters"],
    ["joão", "usernameCharacters"],
  ])("refuses the username %j beside the username field", (username, key) => {
    expect(errorsOf(AddUserSchema.safeParse({ ...valid, username }))).toEqual({ username: [key] });
  });

  it("puts password errors beside the password and the confirmation, together with other fields' errors", () => {
    expect(
      errorsOf(AddUserSchema.safeParse({ ...valid, username: "x", password: "short", confirmPassword: "" })),
    ).toEqual({ username: ["usernameTooShort"], password: ["passwordTooShort"] });
    expect(errorsOf(AddUserSchema.safeParse({ ...valid, username: "x", confirmPassword: "long-enougH" }))).toEqual({
      username: ["usernameTooShort"],
      confirmPassword: ["mismatch"],
    });
    expect(errorsOf(AddUserSchema.safeParse({ ...valid, role: "owner" }))).toEqual({ role: ["roleRequired"] });
  });

  it("reads its errors in English and in Portuguese, the password's from PasswordErrors", () => {
    const errors = errorsOf(AddUserSchema.safeParse({ ...valid, username: "Joana", confirmPassword: "other" }));
    expect(userFormErrors(en, errors)).toEqual({
      username: ["Use only lowercase letters, digits, dots (.), dashes (-) and underscores (_)."],
      confirmPassword: ["The two passwords do not match."],
    });
    expect(userFormErrors(pt, errors)).toEqual({
      username: ["Use apenas letras minúsculas, números, pontos (.), hifens (-) e sublinhados (_)."],
      confirmPassword: ["As duas senhas não conferem."],
    });
    // A message that is no key (never expected from the schema) is not shown raw.
    expect(userFormErrors(pt, { displayName: ["Too big"] })).toEqual({ displayName: ["Verifique este campo."] });
  });
});

describe("ResetPasswordSchema and ChangePasswordSchema", () => {
  it("need a matching confirmation of 8+ characters, and the current password", () => {
    expect(ResetPasswordSchema.parse({ userId: "7", password: "long-enough", confirmPassword: "long-enough" })).toEqual(
      { userId: 7, password: "long-enough", confirmPassword: "long-enough" },
    );
    expect(
      errorsOf(ResetPasswordSchema.safeParse({ userId: "7", password: "1234567", confirmPassword: "1234567" })),
    ).toEqual({ password: ["passwordTooShort"] });
    const account = errorsOf(
      ChangePasswordSchema.safeParse({ currentPassword: "", password: "long-enough", confirmPassword: "nope" }),
    );
    expect(account).toEqual({ currentPassword: ["currentRequired"], confirmPassword: ["mismatch"] });
    const translate = (t: typeof en) =>
      translatePasswordFormErrors(
        account,
        MESSAGES.en.Account.errors,
        (k) => t(`Account.errors.${k}`),
        (k) => t(`PasswordErrors.${k}`),
      );
    expect(translate(en)).toEqual({
      currentPassword: ["Enter your current password."],
      confirmPassword: ["The two passwords do not match."],
    });
    expect(translate(pt)).toEqual({
      currentPassword: ["Informe sua senha atual."],
      confirmPassword: ["As duas senhas não conferem."],
    });
  });
});

describe("LoginSchema", () => {
  it("asks for both fields, and answers an absurdly long one as an invalid sign-in", () => {
    const empty = errorsOf(LoginSchema.safeParse({ username: " ", password: "" }));
    expect(empty).toEqual({ username: ["usernameRequired"], password: ["passwordRequired"] });
    expect(translateLoginErrors(empty, pt)).toEqual({
      username: ["Informe seu nome de usuário."],
      password: ["Informe sua senha."],
    });
    const long = errorsOf(LoginSchema.safeParse({ username: "a".repeat(101), password: "x" }));
    expect(translateLoginErrors(long, en)).toEqual({ username: ["Invalid username or password."] });
  });
});

describe("reason codes and the throttle's message", () => {
  it("keeps the English texts of the reason codes for callers without a locale", () => {
    expect(USER_REFUSALS.LAST_ADMIN).toBe(
      "The family must keep at least one active admin. Make another user an admin first.",
    );
    expect(pt("UserRefusals.WRONG_PASSWORD")).toBe("Essa não é sua senha atual.");
  });

  it("names the limit and the wait, in whole minutes rounded up, with plurals", () => {
    const say = (t: typeof en, ...args: Parameters<typeof throttleMessage>) => {
      const { key, values } = throttleMessage(...args);
      return t(`Throttle.${key}`, values);
    };
    expect(say(en, "signIns", "username", 15 * 60_000)).toBe(
      "Too many failed sign-ins for this username. Try again in 15 minutes.",
    );
    expect(say(en, "signIns", "address", 1)).toBe(
      "Too many failed sign-ins from your network address. Try again in 1 minute.",
    );
    expect(say(en, "passwords", "username", 61_000)).toBe(
      "Too many wrong passwords for this account. Try again in 2 minutes.",
    );
    expect(say(pt, "signIns", "username", 15 * 60_000)).toBe(
      "Muitas tentativas de entrada sem sucesso com este nome de usuário. Tente novamente em 15 minutos.",
    );
    expect(say(pt, "passwords", "address", 0)).toBe(
      "Muitas senhas erradas a partir do seu endereço de rede. Tente novamente em 1 minuto.",
    );
  });

  it("counts the sessions a reset or a password change ended, Portuguese 0 and 1 apart", () => {
    expect(en("ManageUser.resetDone", { username: "ana", sessions: 1 })).toBe(
      "The password of ana was reset. 1 session was ended.",
    );
    expect(pt("ManageUser.resetDone", { username: "ana", sessions: 0 })).toBe(
      "A senha de ana foi redefinida. Nenhuma sessão foi encerrada.",
    );
    expect(en("Account.changed", { sessions: 0 })).toBe("Your password was changed. You had no other sessions.");
    expect(pt("Account.changed", { sessions: 3 })).toBe(
      "Sua senha foi trocada. Suas outras 3 sessões foram encerradas.",
    );
  });
});
