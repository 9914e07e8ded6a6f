import { describe, expect, it } from "vitest";
import { InvalidUtf8, LineTooLong, splitLines, strictUtf8 } from "./records.ts";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function* from<T>(...items: T[]): AsyncGenerator<T> {
  yield* items;
}

describe("splitLines", () => {
  it("joins lines across chunks and keeps an unterminated last line", async () => {
    expect(await collect(splitLines(from("a\tb\nc", "d\n\ne", "f", "\ng")))).toEqual(["a\tb", "cd", "", "ef", "g"]);
  });

  it("refuses a line longer than the limit, however it is chunked", async () => {
    await expect(collect(splitLines(from("x".repeat(6), "\n"), 5))).rejects.toBeInstanceOf(LineTooLong);
    await expect(collect(splitLines(from("xxx", "xxx", "x\n"), 5))).rejects.toBeInstanceOf(LineTooLong);
    expect(await collect(splitLines(from("xx", "xxx\nyy"), 5))).toEqual(["xxxxx", "yy"]);
  });
});

describe("strictUtf8", () => {
  it("decodes characters split across chunks", async () => {
    const bytes = Buffer.from("São João 🍞", "utf8");
    const text = (
      await collect(strictUtf8(from(bytes.subarray(0, 2), bytes.subarray(2, 13), bytes.subarray(13))))
    ).join("");
    expect(text).toBe("São João 🍞");
  });

  it.each([
    ["a lone continuation byte", Buffer.from([0x61, 0x80, 0x62])],
    ["an overlong encoding", Buffer.from([0xc0, 0xaf])],
    ["a sequence cut at the end", Buffer.from([0x61, 0xe2, 0x82])],
  ])("refuses %s", async (_, bytes) => {
    await expect(collect(strictUtf8(from(bytes)))).rejects.toBeInstanceOf(InvalidUtf8);
  });
});
