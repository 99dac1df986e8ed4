import { describe, expect, it } from "vitest";
import { base64ToUuidText, isUuidBytes, newStatusUuid, uuidTextToBase64 } from "./uuid.ts";

describe("status-update uuids", () => {
  it("are 16 bytes on the wire, UUID text in the Task CR", () => {
    const text = "0f8e2a64-9f3c-4b6e-8d2b-1a2b3c4d5e6f";
    const wire = uuidTextToBase64(text);
    expect(Buffer.from(wire, "base64")).toHaveLength(16);
    expect(base64ToUuidText(wire)).toBe(text);
    expect(isUuidBytes(newStatusUuid())).toBe(true);
    expect(isUuidBytes("AAAA")).toBe(false);
    expect(() => uuidTextToBase64("nope")).toThrow(RangeError);
  });
});
