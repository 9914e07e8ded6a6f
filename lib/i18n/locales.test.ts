import { describe, expect, it } from "vitest";

import { resolveLocale } from "./locales.ts";

describe("resolveLocale", () => {
  it("follows the browser, with q-values", () => {
    expect(resolveLocale(undefined, "pt-BR,pt;q=0.9,en;q=0.8")).toBe("pt-BR");
    expect(resolveLocale(undefined, "en-US,en;q=0.9")).toBe("en");
    expect(resolveLocale(undefined, "en;q=0.5,pt-BR;q=0.9")).toBe("pt-BR");
    expect(resolveLocale(undefined, "pt-PT")).toBe("pt-BR");
    expect(resolveLocale(undefined, "de-DE,fr;q=0.8")).toBe("en");
    expect(resolveLocale(undefined, "")).toBe("en");
    expect(resolveLocale(undefined, null)).toBe("en");
  });

  it("lets the switcher's cookie win, but only with a locale we have", () => {
    expect(resolveLocale("en", "pt-BR")).toBe("en");
    expect(resolveLocale("pt-BR", "en-US")).toBe("pt-BR");
    expect(resolveLocale("xx", "pt-BR")).toBe("pt-BR");
  });
});
