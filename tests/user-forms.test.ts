/**
 * The zod schemas behind the users and account forms: which field each error lands beside.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ChangePasswordSchema } from "../app/(app)/account/account-schema.ts";
import { AddUserSchema, ResetPasswordSchema } from "../app/(app)/users/users-schema.ts";

const errorsOf = (result: { success: boolean; error?: z.ZodError }) =>
  result.success ? {} : z.flattenError(result.error!).fieldErrors;

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
    ["jo", "Use at least 3 characters."],
    ["a".repeat(33), "Use at most 32 characters."],
    ["Joana", "Use only lowercase letters, digits, dots (.), dashes (-) and underscores (_)."],
    ["jo ana", "Use only lowercase letters, digits, dots (.), dashes (-) and underscores (_)."],
    ["joão", "Use only lowercase letters, digits, dots (.), dashes (-) and underscores (_)."],
  ])("refuses the username %j beside the username field", (username, message) => {
    expect(errorsOf(AddUserSchema.safeParse({ ...valid, username }))).toEqual({ username: [message] });
  });

  it("puts password errors beside the password and the confirmation, together with other fields' errors", () => {
    expect(
      errorsOf(AddUserSchema.safeParse({ ...valid, username: "x", password: "short", confirmPassword: "" })),
    ).toEqual({ username: ["Use at least 3 characters."], password: ["Use at least 8 characters."] });
    expect(errorsOf(AddUserSchema.safeParse({ ...valid, username: "x", confirmPassword: "long-enougH" }))).toEqual({
      username: ["Use at least 3 characters."],
      confirmPassword: ["The two passwords do not match."],
    });
    expect(errorsOf(AddUserSchema.safeParse({ ...valid, role: "owner" }))).toEqual({ role: ["Choose a role."] });
  });
});

describe("ResetPasswordSchema and ChangePasswordSchema", () => {
  it("need a matching confirmation of 8+ characters, and the current password", () => {
    expect(ResetPasswordSchema.parse({ userId: "7", password: "long-enough", confirmPassword: "long-enough" })).toEqual(
      { userId: 7, password: "long-enough", confirmPassword: "long-enough" },
    );
    expect(
      errorsOf(ResetPasswordSchema.safeParse({ userId: "7", password: "1234567", confirmPassword: "1234567" })),
    ).toEqual({ password: ["Use at least 8 characters."] });
    expect(
      errorsOf(
        ChangePasswordSchema.safeParse({ currentPassword: "", password: "long-enough", confirmPassword: "nope" }),
      ),
    ).toEqual({
      currentPassword: ["Enter your current password."],
      confirmPassword: ["The two passwords do not match."],
    });
  });
});
