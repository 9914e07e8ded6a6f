/**
 * Preloaded into `next start` (see package.json "start"): Node's HTTP server cuts any request
 * whose body takes longer than `requestTimeout` (5 minutes by default) to arrive, which
 * would cut a slow 2 GB backup upload on a home connection. Next.js offers no setting for
 * it, so the servers it creates get no total-request limit; the header timeout and the
 * keep-alive timeout stay as they are, and the upload route enforces its own size cap.
 */
import http from "node:http";

const createServer = http.createServer;
http.createServer = function createServerWithoutRequestTimeout(...args) {
  const server = createServer.apply(this, args);
  server.requestTimeout = 0;
  return server;
};
