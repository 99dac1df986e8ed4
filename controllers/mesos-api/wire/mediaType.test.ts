import { describe, expect, it } from "vitest";
import { accepts, negotiateResponse, negotiateStream, requestEncoding } from "./mediaType.ts";

describe("Content-Type of requests", () => {
  it.each([
    ["application/json", "json"],
    ["application/json; charset=utf-8", "json"],
    ["Application/JSON", "json"],
    ["application/x-protobuf", "protobuf"],
    ["text/plain", "other"],
    ["", "other"],
  ])("%s is %s", (header, encoding) => {
    expect(requestEncoding(header)).toBe(encoding);
  });
});

describe("Accept", () => {
  it.each([
    [undefined, "application/json", true],
    ["", "application/json", true],
    ["*/*", "application/json", true],
    ["application/*", "application/json", true],
    ["application/json", "application/json", true],
    ["text/html, application/json;q=0.5", "application/json", true],
    ["application/json;q=0", "application/json", false],
    ["*/*, application/json;q=0", "application/json", false],
    ["application/x-protobuf", "application/json", false],
    ["text/html", "application/json", false],
  ])("Accept %s allows %s: %s", (header, type, allowed) => {
    expect(accepts(header, type)).toBe(allowed);
  });

  it("chooses JSON for plain responses, or nothing (406)", () => {
    expect(negotiateResponse(undefined)).toEqual({ kind: "json" });
    expect(negotiateResponse("application/x-protobuf")).toBeUndefined();
  });

  it("streams JSON, or RecordIO-wrapped JSON only when asked for it explicitly", () => {
    expect(negotiateStream("*/*", undefined)).toEqual({ kind: "json" });
    expect(negotiateStream("application/recordio", "application/json")).toEqual({ kind: "recordio-json" });
    expect(negotiateStream("application/recordio", undefined)).toEqual({ kind: "recordio-json" });
    expect(negotiateStream("application/recordio", "application/x-protobuf")).toBeUndefined();
    expect(negotiateStream("application/x-protobuf", undefined)).toBeUndefined();
  });
});
