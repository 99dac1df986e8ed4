// Writing whole (non-streaming) HTTP responses the way libprocess does: error bodies are plain
// text, JSON bodies carry exactly `application/json` (clients compare the string).
import type { ServerResponse } from "node:http";
import { toAsciiJson } from "../wire/asciiJson.ts";
import { contentTypeHeaders, JSON_RESPONSE, type ResponseEncoding } from "../wire/mediaType.ts";
import { encodeMessage } from "../wire/messageCodec.ts";
import type { MesosMessage } from "../wire/protobufCodec.ts";

export type Headers = Record<string, string>;

/** A status with an optional plain-text body (errors, 307, 503…). */
export function replyText(res: ServerResponse, status: number, body = "", headers: Headers = {}): void {
  const payload = Buffer.from(body, "utf8");
  res.writeHead(status, {
    ...(payload.length > 0 ? { "Content-Type": "text/plain; charset=utf-8" } : {}),
    "Content-Length": String(payload.length),
    ...headers,
  });
  res.end(payload);
}

/** A JSON body (`application/json`). */
export function replyJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(toAsciiJson(body), "utf8");
  res.writeHead(status, { ...contentTypeHeaders(JSON_RESPONSE), "Content-Length": String(payload.length) });
  res.end(payload);
}

/** A `type` message (given as its JSON shape) in the negotiated encoding, JSON or protobuf. */
export function replyMessage(
  res: ServerResponse,
  status: number,
  type: MesosMessage,
  body: object,
  encoding: ResponseEncoding,
): void {
  const payload = encodeMessage(encoding.message, type, body);
  res.writeHead(status, { ...contentTypeHeaders(encoding), "Content-Length": String(payload.length) });
  res.end(payload);
}

/** A JSON body, or `callback(<json>);` as text/javascript when `?jsonp=callback` was given. */
export function replyJsonOrJsonp(res: ServerResponse, body: unknown, jsonp: string | undefined): void {
  if (jsonp === undefined) {
    replyJson(res, 200, body);
    return;
  }
  const payload = Buffer.from(`${jsonp}(${toAsciiJson(body)});`, "utf8");
  res.writeHead(200, { "Content-Type": "text/javascript", "Content-Length": String(payload.length) });
  res.end(payload);
}
