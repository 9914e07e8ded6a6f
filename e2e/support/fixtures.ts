import { test as base } from "@playwright/test";
import { AppShell } from "../pages/app-shell.ts";
import { LoginPage } from "../pages/login-page.ts";
import { NewTransactionPage } from "../pages/new-transaction-page.ts";
import { openDatabase, type E2eDatabase } from "./database.ts";

type Fixtures = { loginPage: LoginPage; appShell: AppShell; newTransactionPage: NewTransactionPage };
type WorkerFixtures = { database: E2eDatabase };

/** Each project (engine) names its database in `metadata.databaseUrl` (playwright.config.ts). */
export const test = base.extend<Fixtures, WorkerFixtures>({
  database: [
    async ({}, provide, workerInfo) => {
      const url = workerInfo.project.metadata.databaseUrl as string | undefined;
      if (!url) throw new Error(`project ${workerInfo.project.name} has no metadata.databaseUrl`);
      const db = await openDatabase(url);
      await provide(db);
      await db.close();
    },
    { scope: "worker" },
  ],
  loginPage: async ({ page }, provide) => provide(new LoginPage(page)),
  appShell: async ({ page }, provide) => provide(new AppShell(page)),
  newTransactionPage: async ({ page }, provide) => provide(new NewTransactionPage(page)),
});

export { expect } from "@playwright/test";
