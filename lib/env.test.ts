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

it("reads WIMM_BACKUP_RETENTION as a policy, unset or empty as none (the settings file or the defaults)", () => {
  expect(getEnv({ NODE_ENV: "test", WIMM_BACKUP_RETENTION: "daily=14, safety-days=60" }).WIMM_BACKUP_RETENTION).toEqual(
    { keepAllHours: 24, daily: 14, weekly: 4, monthly: 12, safetyDays: 60 },
  );
  expect(getEnv({ NODE_ENV: "test" }).WIMM_BACKUP_RETENTION).toBeUndefined();
  expect(getEnv({ NODE_ENV: "test", WIMM_BACKUP_RETENTION: "  " }).WIMM_BACKUP_RETENTION).toBeUndefined();
});

it.each(["7d,4w", "daily=0", "safety-days=1", "hours=24,hours=48"])(
  "refuses WIMM_BACKUP_RETENTION=%j at start-up",
  (value) => {
    expect(() => getEnv({ NODE_ENV: "test", WIMM_BACKUP_RETENTION: value })).toThrow(
      /WIMM_BACKUP_RETENTION: must be like hours=24,daily=7/,
    );
  },
);
