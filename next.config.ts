import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// Locale, messages and time zone per request (no locale in the URL): lib/i18n/request.ts.
const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

const nextConfig: NextConfig = {
  // Native addons and database drivers are loaded by Node at run time, not bundled.
  serverExternalPackages: [
    "better-sqlite3",
    "pg",
    "pg-copy-streams",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
  ],
};

export default withNextIntl(nextConfig);
