import { describe, expect, it } from "vitest";
import { foldForSearch } from "./fold.ts";

describe("foldForSearch", () => {
  it("drops accents and case, precomposed or decomposed", () => {
    expect(foldForSearch("São João")).toBe("sao joao");
    expect(foldForSearch("SÃO JOÃO")).toBe("sao joao");
    expect(foldForSearch("Cafe\u0301")).toBe(foldForSearch("Caf\u00e9"));
    expect(foldForSearch("Zoë Ñúñez-Łukasz")).toBe("zoe nunez-lukasz");
    expect(foldForSearch("Straße Ærø")).toBe("strasse aero");
  });

  it("keeps what has no accent to drop", () => {
    expect(foldForSearch("Mercado 12%")).toBe("mercado 12%");
    expect(foldForSearch("👨‍👩‍👧 شكرا")).toBe("👨‍👩‍👧 شكرا");
    expect(foldForSearch("")).toBe("");
    expect(foldForSearch("a\tb\nc\\N")).toBe("a\tb\nc\\n");
  });

  it("compatibility forms fold to their plain letters", () => {
    expect(foldForSearch("ﬁle")).toBe("file");
    expect(foldForSearch("ＡＢＣ")).toBe("abc");
  });
});
