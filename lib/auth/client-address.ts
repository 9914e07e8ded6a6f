/**
 * The address a sign-in is counted against (lib/auth/login-throttle.ts).
 *
 * `next start` copies the connection's address into `X-Forwarded-For` only when the request
 * has no such header (`req.headers['x-forwarded-for'] ??= socket.remoteAddress` in Next's
 * base-server): a client reaching the app directly can send its own header and pick any
 * address it likes. So the header is believed only when WIMM_TRUSTED_PROXIES says how many
 * reverse proxies in front of the app append to it; otherwise the connection's own address
 * is used, which lib/server/client-address.mjs hands to the app in a header of its own.
 */
import { isIPv4, isIPv6 } from "node:net";

export type AddressSources = {
  /** The TCP peer, as the preload recorded it (undefined when the preload is not loaded). */
  socketAddress: string | undefined;
  /** The X-Forwarded-For header as received, if any. */
  forwardedFor: string | null;
  /** WIMM_TRUSTED_PROXIES: 0 when the app is reached directly. */
  trustedProxies: number;
};

/**
 * The client's address as a throttling key: IPv4 as is, IPv6 cut to its /64 network (one
 * home or phone connection gets a whole /64 and could rotate through it), "unknown" when
 * nothing usable is known.
 */
export function resolveClientAddress({ socketAddress, forwardedFor, trustedProxies }: AddressSources): string {
  let address = socketAddress;
  if (trustedProxies > 0 || address === undefined) {
    // Each trusted proxy appends the address it received the request from; the client's is
    // the entry `trustedProxies` from the right. Entries further left were sent by the client.
    const hops = (forwardedFor ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const index = Math.max(0, hops.length - Math.max(1, trustedProxies));
    address = hops[index] ?? address;
  }
  return throttlingKey(address ?? "");
}

function throttlingKey(raw: string): string {
  let address = raw.trim();
  // "[2001:db8::1]:443" and "203.0.113.9:51234" (some proxies add the port).
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  address = address.replace(/%.*$/, ""); // IPv6 zone id
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(address);
  if (mapped) address = mapped[1]!;
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return `${expandIPv6(address).slice(0, 4).join(":")}::/64`;
  return "unknown";
}

/** The eight 16-bit groups of an IPv6 address, as lower-case hex without leading zeros. */
function expandIPv6(address: string): string[] {
  let text = address.toLowerCase();
  // A trailing dotted IPv4 part (e.g. ::ffff:1.2.3.4 in other spellings) becomes two groups.
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split(".").map(Number) as [number, number, number, number];
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((group) => parseInt(group, 16).toString(16));
}
