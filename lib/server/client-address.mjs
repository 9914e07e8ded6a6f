/**
 * Preloaded into `next start` (see package.json "start"): hands the app the address of the
 * TCP peer of every request, which Next.js does not expose to server actions. It goes in the
 * header `x-wimm-client-address`, always overwritten here, so a client cannot set it.
 *
 * Why not X-Forwarded-For: Next copies the socket's address into it only when the request
 * has none (`??=` in its base-server), so a client talking to the app directly could send
 * any address and dodge the per-address sign-in limit. lib/auth/client-address.ts decides
 * which of the two to believe (WIMM_TRUSTED_PROXIES).
 */
import http from "node:http";

const HEADER = "x-wimm-client-address"; // read by lib/web/client-address.ts

const createServer = http.createServer;
http.createServer = function createServerRecordingClientAddress(...args) {
  const server = createServer.apply(this, args);
  // Before Next's own listener, on every request of every keep-alive connection.
  server.prependListener("request", (req) => {
    req.headers[HEADER] = req.socket?.remoteAddress ?? "";
  });
  return server;
};
