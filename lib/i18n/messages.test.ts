import { TYPE, parse, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
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

/**
 * The ICU arguments a message uses (`{count, plural, …}` → count, `{name}` → name), read with
 * the parser next-intl itself relies on; a message that does not parse fails here too.
 */
function argumentsOf(message: string): string[] {
  const found = new Set<string>();
  const walk = (elements: MessageFormatElement[]): void => {
    for (const element of elements) {
      if ("value" in element && element.type !== TYPE.literal) found.add(String(element.value));
      if ("options" in element) for (const option of Object.values(element.options)) walk(option.value);
      if (element.type === TYPE.tag) walk(element.children);
    }
  };
  walk(parse(message));
  return [...found].sort();
}

describe("messages", () => {
  const en = flatten(MESSAGES.en as unknown as Tree);
  const pt = flatten(MESSAGES["pt-BR"] as unknown as Tree);

  it("has every English key in Portuguese, and no other", () => {
    expect([...pt.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it("finds arguments, not the words of select branches", () => {
    expect(argumentsOf("{role, select, admin {admin} other {{role}}} at {when}")).toEqual(["role", "when"]);
    expect(argumentsOf("{count, plural, one {# row} other {# rows of {total}}}")).toEqual(["count", "total"]);
  });

  it("uses the same placeholders in both languages", () => {
    for (const [key, text] of en) expect([key, argumentsOf(pt.get(key) ?? "")]).toEqual([key, argumentsOf(text)]);
  });

  it("has no empty or untranslated-looking message", () => {
    for (const [key, text] of pt) expect([key, text.trim().length > 0]).toEqual([key, true]);
  });
});
