import { describe, expect, it } from "vitest";
import {
  accepts,
  contentTypeHeaders,
  negotiateResponse,
  negotiateStream,
  requestEncoding,
} from "./mediaType.ts";

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

  it("chooses JSON for plain responses, else protobuf, else nothing (406)", () => {
    expect(negotiateResponse(undefined)).toEqual({ kind: "plain", message: "json" });
    expect(negotiateResponse("application/x-protobuf, application/json")).toEqual({
      kind: "plain",
      message: "json",
    });
    expect(negotiateResponse("application/x-protobuf")).toEqual({ kind: "plain", message: "protobuf" });
    expect(negotiateResponse("*/*;q=0.1, application/json;q=0")).toEqual({
      kind: "plain",
      message: "protobuf",
    });
    expect(negotiateResponse("text/html")).toBeUndefined();
  });

  it("streams a plain type, or RecordIO with the Message-Accept type only when asked for it explicitly", () => {
    expect(negotiateStream("*/*", undefined)).toEqual({ kind: "plain", message: "json" });
    expect(negotiateStream("application/x-protobuf", undefined)).toEqual({
      kind: "plain",
      message: "protobuf",
    });
    expect(negotiateStream("application/recordio", "application/json")).toEqual({
      kind: "recordio",
      message: "json",
    });
    expect(negotiateStream("application/recordio", undefined)).toEqual({ kind: "recordio", message: "json" });
    expect(negotiateStream("application/recordio", "application/x-protobuf")).toEqual({
      kind: "recordio",
      message: "protobuf",
    });
    expect(negotiateStream("application/recordio", "text/html")).toBeUndefined();
    expect(negotiateStream("text/html", "application/json")).toBeUndefined();
  });

  it("announces the negotiated types with the exact strings clients compare", () => {
    expect(contentTypeHeaders({ kind: "plain", message: "protobuf" })).toEqual({
      "Content-Type": "application/x-protobuf",
    });
    expect(contentTypeHeaders({ kind: "recordio", message: "protobuf" })).toEqual({
      "Content-Type": "application/recordio",
      "Message-Content-Type": "application/x-protobuf",
    });
  });
});
