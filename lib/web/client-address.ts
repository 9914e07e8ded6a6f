import "server-only";
import { headers } from "next/headers";
import { resolveClientAddress } from "../auth/client-address.ts";
import { getEnv } from "../env.ts";
import { log } from "../log.ts";

/** Set on every request by lib/server/client-address.mjs (preloaded by `npm start`). */
const CLIENT_ADDRESS_HEADER = "x-wimm-client-address";

let warned = false;

/** The address of whoever sent this request, as the login throttle counts it. */
export async function getClientAddress(): Promise<string> {
  const h = await headers();
  const socketAddress = h.get(CLIENT_ADDRESS_HEADER) ?? undefined;
  const { WIMM_TRUSTED_PROXIES } = getEnv();
  if (socketAddress === undefined && WIMM_TRUSTED_PROXIES === 0 && !warned) {
    warned = true;
    log(
      "AUTH",
      "the connection's address is unknown (the server was not started with `npm start`): the per-address sign-in limit trusts X-Forwarded-For, which a client can set",
    );
  }
  return resolveClientAddress({
    socketAddress,
    forwardedFor: h.get("x-forwarded-for"),
    trustedProxies: WIMM_TRUSTED_PROXIES,
  });
}
