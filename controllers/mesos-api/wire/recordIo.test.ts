import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeRecord, RecordIoDecoder, RecordIoError } from "./recordIo.ts";

describe("RecordIO", () => {
  it("frames a record as <byte length>\\n<data> with nothing after it (semantics.md §0.3)", () => {
    expect(encodeRecord('{"type":"HEARTBEAT"}').toString("utf8")).toBe('20\n{"type":"HEARTBEAT"}');
    expect(encodeRecord("é").toString("utf8")).toBe("2\né");
    // Protobuf records are binary; the length counts bytes, a newline inside is data.
    expect(encodeRecord(Uint8Array.of(8, 10, 0))).toEqual(Buffer.from([0x33, 0x0a, 8, 10, 0]));
  });

  it("decodes records back to back, whatever the chunking", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, unit: "grapheme" }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 30 }),
        (records, cuts) => {
          const bytes = Buffer.concat(records.map((r) => encodeRecord(r)));
          const decoder = new RecordIoDecoder();
          const out: string[] = [];
          let at = 0;
          let i = 0;
          while (at < bytes.length) {
            const size = cuts[i++ % cuts.length] ?? 1;
            out.push(...decoder.push(bytes.subarray(at, at + size)));
            at += size;
          }
          expect(out).toEqual(records);
          expect(decoder.idle).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("decodes binary records byte for byte", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { maxLength: 6 }), (records) => {
        const decoder = new RecordIoDecoder();
        const out = decoder.pushBytes(Buffer.concat(records.map((r) => encodeRecord(r))));
        expect(out.map((r) => [...r])).toEqual(records.map((r) => [...r]));
      }),
      { numRuns: 100 },
    );
  });

  it("refuses a length that is not a decimal number", () => {
    expect(() => new RecordIoDecoder().push(Buffer.from("x1\n{}"))).toThrow(RecordIoError);
    expect(() => new RecordIoDecoder().push(Buffer.from("1".repeat(25)))).toThrow(RecordIoError);
  });
});
