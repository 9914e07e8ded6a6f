/**
 * End-to-end tests against the production build (`next start`), once per engine: project
 * `sqlite` and project `postgresql`, each with its own server, port and fresh seeded
 * database (e2e/support/serve.ts). Serial: the specs of a project share its database.
 * Run `npm run build` first; scripts/test.sh does all of it.
 */
import { defineConfig } from "@playwright/test";
import { ADMIN, MEMBER, e2eServers } from "./e2e/support/e2e-env.ts";

const servers = e2eServers();
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: ".tmp/e2e-results",
  reporter: [["list"], ["json", { outputFile: process.env.WIMM_E2E_JSON ?? ".tmp/e2e-results.json" }]],
  globalTeardown: "./e2e/support/global-teardown.ts",
  use: {
    browserName: "chromium",
    headless: true,
    launchOptions: { executablePath: process.env.WIMM_CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: servers.map((s) => ({
    name: s.engine,
    use: { baseURL: `http://127.0.0.1:${s.port}` },
    metadata: { databaseUrl: s.databaseUrl },
  })),
  webServer: servers.map((s) => ({
    command: "node --no-warnings=ExperimentalWarning --import tsx e2e/support/serve.ts",
    url: `http://127.0.0.1:${s.port}/login`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
    env: {
      DATABASE_URL: s.databaseUrl,
      PORT: String(s.port),
      WIMM_ADMIN_PASSWORD: ADMIN.password,
      WIMM_MEMBER_PASSWORD: MEMBER.password,
      WIMM_FAMILY_NAME: `E2E family (${s.engine})`,
      WIMM_BACKUP_DIR: `${s.workDir}/backups`,
      WIMM_UPLOAD_DIR: `${s.workDir}/uploads`,
      // No scheduled backup in the middle of specs that count the backup folder's files.
      WIMM_BACKUP_SCHEDULE: "off",
      DEMO_MODE: "",
      // Every spec signs in from 127.0.0.1 against this one server: the per-address limit
      // (default 20 failures in 15 minutes) is raised so the specs' deliberate failures never
      // add up to it. The per-username limit keeps its default and is tested in users.spec.ts;
      // the per-address limit is tested on the core (lib/auth/login-throttle.test.ts).
      WIMM_LOGIN_IP_LIMIT: "1000",
      NODE_ENV: "production",
    },
  })),
});
