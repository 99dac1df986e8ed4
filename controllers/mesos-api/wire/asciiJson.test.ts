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

  it("finds a non-finite number beside a real null, and non-ASCII text deep in a large value", () => {
    expect(toAsciiJson({ a: null, b: [1, Number.NEGATIVE_INFINITY] })).toBe('{"a":null,"b":[1,"-Infinity"]}');
    const big = Array.from({ length: 2000 }, (_, i) => ({ i, name: i === 1999 ? "é" : "e" }));
    const text = toAsciiJson(big);
    expect(text.endsWith('{"i":1999,"name":"\\u00e9"}]')).toBe(true);
  });

  it("gives the same text as the exact path for any value, numbers included", () => {
    const exact = (v: unknown) =>
      JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x)).replace(
        /[\u0080-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
      );
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: false, withBigInt: false, withMap: false, withSet: false }),
        (v) => {
          if (JSON.stringify(v) === undefined) return;
          expect(toAsciiJson(v)).toBe(exact(v));
        },
      ),
      { numRuns: 500 },
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
