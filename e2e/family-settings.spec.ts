import { ADMIN, MEMBER } from "./support/e2e-env.ts";
import { expect, test } from "./support/fixtures.ts";

// The family row as stored, time zone included, read beside the UI.
async function stored(database: import("./support/database.ts").E2eDatabase) {
  const family = await database.one<{ name: string; currency: string; time_zone: string }>(
    "SELECT name, currency, time_zone FROM families ORDER BY id LIMIT 1",
  );
  return { name: family.name, currency: family.currency, timeZone: family.time_zone };
}

test("an admin sets the family's name, currency and time zone; amounts follow the currency everywhere", async ({
  page,
  loginPage,
  database,
}) => {
  const before = await stored(database);
  await loginPage.signIn(ADMIN.username, ADMIN.password);
  await page.goto("/settings");
  const name = page.getByLabel("Family name");
  const currency = page.getByLabel("Currency");
  const timeZone = page.getByLabel("Time zone");
  await expect(name).toHaveValue(before.name);
  await expect(currency).toHaveValue(before.currency);

  try {
    // An empty name is refused beside the field; nothing is written.
    await name.fill("  ");
    await page.getByRole("button", { name: "Save family settings" }).click();
    await expect(page.locator("#family-name-error")).toHaveText("Enter the family's name.");
    expect(await stored(database)).toEqual(before);

    // A currency the list does not offer (a forged post) is refused too.
    await name.fill("Família Teste ☕");
    await currency.evaluate((select: HTMLSelectElement) => {
      select.add(new Option("XXX", "XQQ"));
      select.value = "XQQ";
    });
    await page.getByRole("button", { name: "Save family settings" }).click();
    await expect(page.locator("#family-currency-error")).toHaveText("Choose a currency from the list.");
    expect(await stored(database)).toEqual(before);

    await name.fill("Família Teste ☕");
    await currency.selectOption("EUR");
    await timeZone.selectOption("Asia/Tokyo");
    await page.getByRole("button", { name: "Save family settings" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Family settings saved." })).toBeVisible();
    expect(await stored(database)).toEqual({ name: "Família Teste ☕", currency: "EUR", timeZone: "Asia/Tokyo" });

    // Every page now shows the new name and euros, for every user of the family.
    await expect(page.getByTestId("family-name")).toHaveText("Família Teste ☕");
    await page.goto("/accounts");
    await expect(page.locator("main")).toContainText("€");
    await expect(page.locator("main")).not.toContainText("R$");

    const other = await page.context().browser()!.newContext();
    const memberPage = await other.newPage();
    await memberPage.goto(new URL("/login", page.url()).toString());
    await memberPage.getByLabel("Username").fill(MEMBER.username);
    await memberPage.getByLabel("Password").fill(MEMBER.password);
    await memberPage.getByRole("button", { name: "Sign in" }).click();
    await expect(memberPage.getByTestId("family-name")).toHaveText("Família Teste ☕");
    await expect(memberPage.locator("main")).toContainText("€");
    await other.close();
  } finally {
    // The specs share one database: put the family back as it was.
    await page.goto("/settings");
    await page.getByLabel("Family name").fill(before.name);
    await page.getByLabel("Currency").selectOption(before.currency);
    await page.getByLabel("Time zone").selectOption(before.timeZone);
    await page.getByRole("button", { name: "Save family settings" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Family settings saved." })).toBeVisible();
  }
  expect(await stored(database)).toEqual(before);
});
