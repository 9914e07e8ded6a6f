/**
 * Least privilege: `wimm info` says when the app's PostgreSQL role is a superuser (it never
 * needs to be), and says nothing for the owner role the README describes.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { isSuperuserRole } from "../lib/db/role-privileges.ts";
import { parseDatabaseUrl } from "../lib/db/url.ts";
import { runWimm } from "./helpers/cli.ts";
import { createPostgresDatabase, createTempDir, describePostgres } from "./helpers/databases.ts";

describePostgres("the app's PostgreSQL role", () => {
  const tmp = createTempDir("wimm-role-");
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let superuserUrl: string;
  beforeAll(async () => {
    db = await createPostgresDatabase("wimm_role");
    const url = new URL(process.env.WIMM_PG_ADMIN_URL!);
    url.pathname = `/${db.name}`;
    superuserUrl = url.toString();
  });
  afterAll(async () => {
    await db.drop();
    tmp.cleanup();
  });

  it("the owner role gets no warning; a superuser gets one, from isSuperuserRole and wimm info", async () => {
    expect(await isSuperuserRole(parseDatabaseUrl(db.url))).toBe(false);
    expect(await isSuperuserRole(parseDatabaseUrl(superuserUrl))).toBe(true);
    expect(await isSuperuserRole(parseDatabaseUrl("file:/tmp/none.sqlite3"))).toBe(false);

    const env = { WIMM_BACKUP_DIR: tmp.dir, WIMM_ADMIN_PASSWORD: "admin-password-1" };
    const owner = await runWimm(["info"], { env: { ...env, DATABASE_URL: db.url } });
    expect(owner.code, owner.stderr).toBe(0);
    expect(owner.json).toMatchObject({ engine: "postgresql", superuser: false, warnings: [] });
    expect(owner.stderr).not.toContain("[SECURITY]");

    const root = await runWimm(["info"], { env: { ...env, DATABASE_URL: superuserUrl } });
    expect(root.code, root.stderr).toBe(0);
    expect(root.json).toMatchObject({ superuser: true, warnings: [expect.stringContaining("superuser")] });
    expect(root.stderr).toMatch(/\[SECURITY\] warning: The app connects to PostgreSQL as a superuser/);
  });
});
