import { describe, expect, it } from "vitest";
import { resolveClientAddress } from "./client-address.ts";

describe("resolveClientAddress", () => {
  it("reached directly (no trusted proxy): the connection's address, whatever X-Forwarded-For says", () => {
    expect(
      resolveClientAddress({ socketAddress: "203.0.113.5", forwardedFor: "198.51.100.1", trustedProxies: 0 }),
    ).toBe("203.0.113.5");
    expect(
      resolveClientAddress({
        socketAddress: "::ffff:127.0.0.1",
        forwardedFor: "10.0.0.1, 10.0.0.2",
        trustedProxies: 0,
      }),
    ).toBe("127.0.0.1");
  });

  it("behind N trusted proxies: the entry N from the right, so what the client prepends is ignored", () => {
    const sources = { socketAddress: "10.0.0.2", forwardedFor: "6.6.6.6, 203.0.113.5", trustedProxies: 1 };
    expect(resolveClientAddress(sources)).toBe("203.0.113.5");
    expect(
      resolveClientAddress({ ...sources, forwardedFor: "6.6.6.6, 203.0.113.5, 10.0.0.1", trustedProxies: 2 }),
    ).toBe("203.0.113.5");
    // Fewer entries than proxies: the left-most one there is.
    expect(resolveClientAddress({ ...sources, forwardedFor: "203.0.113.5", trustedProxies: 2 })).toBe("203.0.113.5");
    // No header at all: the connection's address.
    expect(resolveClientAddress({ ...sources, forwardedFor: null })).toBe("10.0.0.2");
  });

  it("without the preload's socket address, falls back to the header's right-most entry", () => {
    expect(
      resolveClientAddress({ socketAddress: undefined, forwardedFor: "1.1.1.1, 127.0.0.1", trustedProxies: 0 }),
    ).toBe("127.0.0.1");
    expect(resolveClientAddress({ socketAddress: undefined, forwardedFor: null, trustedProxies: 0 })).toBe("unknown");
  });

  it("drops ports and brackets, and keys IPv6 by its /64 network", () => {
    const at = (forwardedFor: string) =>
      resolveClientAddress({ socketAddress: "10.0.0.2", forwardedFor, trustedProxies: 1 });
    expect(at("203.0.113.5:51234")).toBe("203.0.113.5");
    expect(at("[2001:db8:1:2:3:4:5:6]:443")).toBe("2001:db8:1:2::/64");
    expect(at("2001:DB8:1:2::99")).toBe("2001:db8:1:2::/64");
    expect(at("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe(at("2001:db8:1:2::1"));
    expect(at("2001:db8:1:3::1")).not.toBe(at("2001:db8:1:2::1"));
    expect(at("::1")).toBe("0:0:0:0::/64");
    expect(at("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(at("not an address")).toBe("unknown");
  });
});
