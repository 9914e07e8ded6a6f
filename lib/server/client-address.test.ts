/**
 * The preload that tells the app who is on the other end of the connection: whatever a
 * client sends in x-wimm-client-address or X-Forwarded-For, the app reads the socket's
 * address. Run in a child Node process started the way `npm start` starts next (--import).
 */
import { spawn } from "node:child_process";
import { request } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const PRELOAD = join(import.meta.dirname, "client-address.mjs");

// A plain HTTP server created through http.createServer, as Next's start-server does, that
// answers with the headers its handler saw.
const SERVER = `
const http = require("node:http");
const server = http.createServer((req, res) => res.end(JSON.stringify(req.headers)));
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

function get(port: number, headers: Record<string, string>): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/", headers, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve(JSON.parse(body)));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("lib/server/client-address.mjs", () => {
  it("overwrites x-wimm-client-address with the socket's address on every request", async () => {
    const child = spawn(process.execPath, ["--import", PRELOAD, "-e", SERVER], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const port = await new Promise<number>((resolve) => child.stdout!.once("data", (d) => resolve(Number(d))));
      const honest = await get(port, {});
      expect(honest["x-wimm-client-address"]).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      const spoofed = await get(port, { "x-wimm-client-address": "6.6.6.6", "x-forwarded-for": "7.7.7.7" });
      expect(spoofed["x-wimm-client-address"]).toBe(honest["x-wimm-client-address"]);
      expect(spoofed["x-forwarded-for"]).toBe("7.7.7.7"); // left alone: WIMM_TRUSTED_PROXIES decides
    } finally {
      child.kill();
    }
  });
});
