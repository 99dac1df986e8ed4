import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toAsciiJson } from "./asciiJson.ts";

describe("toAsciiJson", () => {
  it("escapes every non-ASCII character so bytes, UTF-16 units and characters agree", () => {
    const text = toAsciiJson({ message: "héllo – 世界 😀" });
    expect(text).toBe('{"message":"h\\u00e9llo \\u2013 \\u4e16\\u754c \\ud83d\\ude00"}');
    expect(Buffer.byteLength(text)).toBe(text.length);
  });

  it("writes compact JSON without raw newlines, even for strings holding them", () => {
    expect(toAsciiJson({ a: [1, { b: "x\ny\u2028" }] })).toBe('{"a":[1,{"b":"x\\ny\\u2028"}]}');
  });

  it("writes non-finite numbers as Mesos does (strings), not null", () => {
    expect(toAsciiJson({ cpus: Number.POSITIVE_INFINITY, n: Number.NaN })).toBe(
      '{"cpus":"Infinity","n":"NaN"}',
    );
  });

  it("round-trips any JSON value and is always ASCII without newlines", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = toAsciiJson(value);
        expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });
});
