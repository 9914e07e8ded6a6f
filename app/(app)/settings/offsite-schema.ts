import { z } from "zod";

/** An off-site copy, by the name `listOffsiteBackups` gave it (never a path: the core checks it too). */
export const FetchOffsiteSchema = z.object({
  file: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .max(200),
});

export type OffsiteCopyView = {
  file: string;
  /** When it was made (its name says), in the family's zone. */
  when: string;
  bytes: number;
  engine: "sqlite" | "postgresql";
  encrypted: boolean;
  /** The remote's catalogue: verified when made, and read back equal when copied (null: no record). */
  verified: boolean | null;
  readBack: boolean | null;
};

export type OffsiteListResult = { ok: true; remote: string; copies: OffsiteCopyView[] } | { ok: false; error: string };
