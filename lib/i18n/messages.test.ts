import { describe, expect, it } from "vitest";

import { MESSAGES } from "./messages.ts";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** The ICU arguments a message uses: `{count, plural, …}` → count, `{name}` → name. */
function argumentsOf(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*[,}]/g)].map((m) => m[1]!))].sort();
}

describe("messages", () => {
  const en = flatten(MESSAGES.en as unknown as Tree);
  const pt = flatten(MESSAGES["pt-BR"] as unknown as Tree);

  it("has every English key in Portuguese, and no other", () => {
    expect([...pt.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it("uses the same placeholders in both languages", () => {
    for (const [key, text] of en) expect([key, argumentsOf(pt.get(key) ?? "")]).toEqual([key, argumentsOf(text)]);
  });

  it("has no empty or untranslated-looking message", () => {
    for (const [key, text] of pt) expect([key, text.trim().length > 0]).toEqual([key, true]);
  });
});
