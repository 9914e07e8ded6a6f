import { z } from "zod";

export const LoginSchema = z.object({
  username: z.string().trim().min(1, "Enter your username.").max(100, "Invalid username or password."),
  password: z.string().min(1, "Enter your password.").max(1000, "Invalid username or password."),
});

export type LoginState = {
  errors?: { username?: string[]; password?: string[] };
  message?: string | null;
  /** Echoed back so a failed attempt does not clear the username. */
  username?: string;
};

// One message for an unknown user and a wrong password alike: it must not tell which it was.
export const INVALID_CREDENTIALS = "Invalid username or password.";
