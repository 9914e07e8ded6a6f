import { describe, expect, it } from "vitest";

import { isTimeZone, isoDateInTimeZone, listTimeZones, monthRange } from "./time-zone.ts";

describe("time zones", () => {
  it("knows real IANA zones and refuses others", () => {
    expect(isTimeZone("America/Sao_Paulo")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(listTimeZones()).toContain("Europe/Lisbon");
  });

  it("reads today in the family's zone, not the server's", () => {
    // 02:30 UTC on 1 March is still 28 February in São Paulo (UTC−3) and already 1 March in Tokyo.
    const now = new Date("2027-03-01T02:30:00Z");
    expect(isoDateInTimeZone("America/Sao_Paulo", now)).toBe("2027-02-28");
    expect(isoDateInTimeZone("Asia/Tokyo", now)).toBe("2027-03-01");
    expect(isoDateInTimeZone("UTC", now)).toBe("2027-03-01");
  });

  it("gives whole months, across year ends and leap years", () => {
    expect(monthRange("2028-02-15")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(monthRange("2027-01-10", 1)).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(monthRange("2027-03-31", 1)).toEqual({ from: "2027-02-01", to: "2027-02-28" });
  });
});
