import type { NextConfig } from "next";

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

export default nextConfig;
