/**
 * Sign-in, users admin and the account page in Brazilian Portuguese, on each engine: a
 * browser asking for pt-BR gets Portuguese labels, errors beside their fields and the
 * throttle's message; what the Portuguese forms write is checked in the database. Every
 * deliberate failure uses a throwaway username, so the admin's per-username count (and
 * users.spec.ts's throttle test) is untouched.
 */
import type { Page } from "@playwright/test";
import { ADMIN } from "./support/e2e-env.ts";
import type { E2eDatabase } from "./support/database.ts";
import { expect, test } from "./support/fixtures.ts";
import { errorOf } from "./pages/users-page.ts";

test.describe.configure({ mode: "serial" });
test.use({ locale: "pt-BR" });

const stamp = Date.now().toString(36);
const JOANA = { username: `joana.pt-${stamp}`, password: "senha-da-joana-1" };

/** The login page in Portuguese, by its Portuguese labels. */
function login(page: Page) {
  return {
    username: page.getByLabel("Nome de usuário"),
    password: page.getByLabel("Senha", { exact: true }),
    submit: page.getByRole("button", { name: "Entrar", exact: true }),
    message: page.locator("#login-error"),
  };
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto("/login");
  const form = login(page);
  await form.username.fill(username);
  await form.password.fill(password);
  await form.submit.click();
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { name: "Painel", level: 1 })).toBeVisible();
}

async function userRow(database: E2eDatabase, username: string) {
  return database.rows<{ id: unknown; role: string; active: unknown; password_hash: string }>(
    "SELECT id, role, active, password_hash FROM users WHERE username = ?",
    [username],
  );
}

async function expectNoHorizontalScroll(page: Page, path: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${path} is ${width} px wide`).toBeLessThanOrEqual(page.viewportSize()!.width);
}

test("the login page speaks Portuguese: labels, switcher, errors beside the fields, invalid sign-in, throttle", async ({
  page,
}) => {
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "pt-BR");
  await expect(page).toHaveTitle(/^Entrar/);
  await expect(page.getByRole("heading", { name: "Entrar", level: 1 })).toBeVisible();
  await expect(page.getByText("O backup foi restaurado.")).toHaveCount(0);
  await expect(page.getByLabel("Idioma")).toHaveValue("pt-BR");
  const form = login(page);

  // Nothing typed: each field says so beside itself.
  await form.submit.click();
  await expect(await errorOf(form.username)).toHaveText("Informe seu nome de usuário.");
  await expect(await errorOf(form.password)).toHaveText("Informe sua senha.");

  // A throwaway username (its failures count against that name only): five invalid attempts...
  const nobody = `ninguem-${stamp}`;
  for (let i = 1; i <= 5; i++) {
    await form.username.fill(nobody);
    await form.password.fill(`senha-errada-${i}`);
    await form.submit.click();
    await expect(form.message).toHaveText("Nome de usuário ou senha inválidos.");
    await page.reload(); // a fresh form, so the next message is this attempt's
  }
  // ...and the sixth is refused by the throttle, naming the limit and the wait.
  await form.username.fill(nobody);
  await form.password.fill("senha-errada-6");
  await form.submit.click();
  await expect(form.message).toHaveText(
    "Muitas tentativas de entrada sem sucesso com este nome de usuário. Tente novamente em 15 minutos.",
  );

  // The switcher works signed out: English, then back.
  await page.getByLabel("Idioma").selectOption("en");
  await expect(page.getByRole("heading", { name: "Sign in", level: 1 })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByLabel("Language").selectOption("pt-BR");
  await expect(page.getByRole("heading", { name: "Entrar", level: 1 })).toBeVisible();

  // After a restore the page says so, in Portuguese.
  await page.goto("/login?restored=1");
  await expect(page.getByText("O backup foi restaurado. Entre novamente.", { exact: true })).toBeVisible();
});

test("an admin adds an Administrador on /users in Portuguese: errors beside the fields, the row written with that role", async ({
  page,
  database,
}) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Usuários" }).click();
  await expect(page.getByRole("heading", { name: "Usuários", level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(/^Usuários/);
  const adminRow = page.getByTestId(`user-${ADMIN.username}`);
  for (const text of ["Administrador", "Ativo", "Você", "Último acesso em"]) await expect(adminRow).toContainText(text);

  const username = page.getByLabel("Nome de usuário");
  const role = page.getByLabel("Função");
  const password = page.getByLabel("Senha", { exact: true });
  const confirm = page.getByLabel("Confirmar senha");
  const submit = page.getByRole("button", { name: "Adicionar usuário" });
  await expect(page.getByRole("radio", { name: "Digitar uma senha" })).toBeChecked();
  await expect(page.getByRole("radio", { name: "Gerar uma senha" })).toBeVisible();

  // Refused: a username with capitals and a space, and a confirmation that differs.
  await username.fill("Joana PT");
  await role.selectOption({ label: "Administrador" });
  await password.fill(JOANA.password);
  await confirm.fill(`${JOANA.password}!`);
  await submit.click();
  await expect(await errorOf(username)).toHaveText(
    "Use apenas letras minúsculas, números, pontos (.), hifens (-) e sublinhados (_).",
  );
  await expect(await errorOf(confirm)).toHaveText("As duas senhas não conferem.");
  await expect(page.getByText("Alguns campos precisam de atenção.")).toBeVisible();
  await expect(role).toHaveValue("admin"); // what was chosen is kept
  expect(await database.rows("SELECT id FROM users WHERE username LIKE 'joana%'")).toEqual([]);

  await username.fill(JOANA.username);
  await password.fill(JOANA.password);
  await confirm.fill(JOANA.password);
  await submit.click();
  await expect(page.getByTestId("user-added")).toContainText(`Usuário ${JOANA.username} adicionado.`);
  const row = page.getByTestId(`user-${JOANA.username}`);
  for (const text of ["Administrador", "Ativo", "Nunca acessou"]) await expect(row).toContainText(text);
  const rows = await userRow(database, JOANA.username);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ role: "admin" });
  expect(Boolean(Number(rows[0]!.active))).toBe(true);

  // The same name again: the refusal, by reason code, in Portuguese beside the username.
  await username.fill(JOANA.username);
  await password.fill("outra-senha-123");
  await confirm.fill("outra-senha-123");
  await submit.click();
  await expect(await errorOf(username)).toHaveText("Esse nome de usuário já está em uso. Escolha outro.");
  expect(await userRow(database, JOANA.username)).toHaveLength(1);

  // Her page: Portuguese headings and controls.
  await page.getByRole("link", { name: `Gerenciar ${JOANA.username}`, exact: true }).click();
  await expect(page.getByRole("heading", { name: JOANA.username, level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(/^Gerenciar usuário/);
  await expect(page.getByLabel(`Função de ${JOANA.username}`)).toHaveValue("admin");
  await expect(page.getByLabel(`Nova senha para ${JOANA.username}`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Redefinir senha" })).toBeVisible();
  await expect(page.getByRole("button", { name: `Desativar ${JOANA.username}` })).toBeVisible();
  await expect(page.getByRole("link", { name: "Todos os usuários" })).toBeVisible();
});

test("on /account in Portuguese, a wrong current password is refused beside it and nothing changes", async ({
  page,
  database,
}) => {
  await signIn(page, JOANA.username, JOANA.password);
  await page.getByTestId("current-user").click();
  await expect(page).toHaveURL("/account");
  await expect(page.getByRole("heading", { name: "Sua conta", level: 1 })).toBeVisible();
  await expect(page.getByText(`Conectado como ${JOANA.username}. Função: administrador.`)).toBeVisible();
  const before = (await userRow(database, JOANA.username))[0]!.password_hash;

  const current = page.getByLabel("Senha atual");
  await current.fill("nao-e-minha-senha");
  await page.getByLabel("Nova senha", { exact: true }).fill("senha-nova-da-joana");
  await page.getByLabel("Confirmar nova senha").fill("senha-nova-da-joana");
  await page.getByRole("button", { name: "Trocar senha" }).click();
  await expect(await errorOf(current)).toHaveText("Essa não é sua senha atual.");
  expect((await userRow(database, JOANA.username))[0]!.password_hash).toBe(before);

  // Too short a new password: the shared password message, in Portuguese, beside the new password.
  await current.fill(JOANA.password);
  await page.getByLabel("Nova senha", { exact: true }).fill("curta");
  await page.getByLabel("Confirmar nova senha").fill("curta");
  await page.getByRole("button", { name: "Trocar senha" }).click();
  await expect(await errorOf(page.getByLabel("Nova senha", { exact: true }))).toHaveText("Use no mínimo 8 caracteres.");
  expect((await userRow(database, JOANA.username))[0]!.password_hash).toBe(before);
});

test("the admin makes her a Membro again in Portuguese; the four pages fit 390 px in Portuguese", async ({
  page,
  database,
}) => {
  const id = Number((await userRow(database, JOANA.username))[0]!.id);
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto(`/users/${id}`);
  await page.getByLabel(`Função de ${JOANA.username}`).selectOption({ label: "Membro" });
  await page.getByRole("button", { name: "Salvar função" }).click();
  await expect(page.locator("#user-role-message")).toHaveText("Função salva.");
  expect((await userRow(database, JOANA.username))[0]).toMatchObject({ role: "member" });

  // The last admin cannot be made a member: the reason, in Portuguese.
  const adminId = Number((await userRow(database, ADMIN.username))[0]!.id);
  await page.goto(`/users/${adminId}`);
  await page.getByLabel(`Função de ${ADMIN.username}`).selectOption("member");
  await page.getByRole("button", { name: "Salvar função" }).click();
  await expect(page.locator("#user-role-message")).toHaveText(
    "A família precisa manter pelo menos um administrador ativo. Torne outro usuário administrador antes.",
  );

  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ["/users", `/users/${id}`, "/account"]) {
    await page.goto(path);
    await expect(page.locator("h1")).toBeVisible();
    await expectNoHorizontalScroll(page, path);
  }
  await page.context().clearCookies();
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Entrar", level: 1 })).toBeVisible();
  await expectNoHorizontalScroll(page, "/login");
});
