import { expect, it } from "vitest";
import { redactSecrets } from "./redact-secrets.ts";

it("replaces each secret, its percent-encoded form and a URL as a whole", () => {
  const url = "smtp://alerts:p@ss@mail.example.org:587";
  expect(redactSecrets(`could not reach ${url} (p@ss, p%40ss)`, [url, "p@ss"])).toBe(
    "could not reach [redacted] ([redacted], [redacted])",
  );
});

it("redacts the password of any URL in the text, keeping the user and the host", () => {
  expect(redactSecrets("dump of postgres://wimm:hunter2@db:5432/wimm failed; see https://x.org/a:b", [])).toBe(
    "dump of postgres://wimm:[redacted]@db:5432/wimm failed; see https://x.org/a:b",
  );
});

it("leaves text without secrets alone and ignores empty secrets", () => {
  expect(redactSecrets("connect ECONNREFUSED 127.0.0.1:2525", ["", "other"])).toBe(
    "connect ECONNREFUSED 127.0.0.1:2525",
  );
});
