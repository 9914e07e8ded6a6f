import { expect, it } from "vitest";
import { getEnv } from "./env.ts";

it("accepts the alert variables, and treats empty ones as unset", () => {
  const env = getEnv({
    NODE_ENV: "test",
    WIMM_ALERT_EMAILS: "ana@example.org, bruno@example.org",
    WIMM_SMTP_URL: "smtps://alerts:p%40ss@mail.example.org:465",
    WIMM_ALERT_FROM: "wimm@example.org",
    WIMM_ALERT_WEBHOOK: " ",
  });
  expect(env.WIMM_ALERT_EMAILS).toBe("ana@example.org, bruno@example.org");
  expect(env.WIMM_SMTP_URL).toBe("smtps://alerts:p%40ss@mail.example.org:465");
  expect(env.WIMM_ALERT_FROM).toBe("wimm@example.org");
  expect(env.WIMM_ALERT_WEBHOOK).toBeUndefined();
});

it("refuses bad alert variables at start-up, naming each without quoting its value", () => {
  const bad = {
    WIMM_ALERT_EMAILS: "ana@example.org, not-an-address",
    WIMM_SMTP_URL: "http://alerts:Sup3r-S3cret@mail.example.org",
    WIMM_ALERT_FROM: "wimm",
    WIMM_ALERT_WEBHOOK: "ftp://hooks.example.org/t0ken",
  };
  let message = "";
  try {
    getEnv({ NODE_ENV: "test", ...bad });
  } catch (err) {
    message = (err as Error).message;
  }
  for (const name of Object.keys(bad)) expect(message).toContain(`${name}: must be`);
  expect(message).not.toContain("Sup3r-S3cret");
  expect(message).not.toContain("t0ken");
});
