// One message in the negotiated encoding: request bodies decoded into the JSON shape the zod
// schemas parse, events and responses (built as JSON values) encoded for the wire. The error
// texts are the ones Master::Http::api and ::scheduler answer 400 with.
import { toAsciiJson } from "./asciiJson.ts";
import type { MessageEncoding } from "./mediaType.ts";
import { decodeProtobuf, encodeProtobuf, type MesosMessage, ProtobufDecodeError } from "./protobufCodec.ts";

export type DecodedBody = { ok: true; json: unknown } | { ok: false; message: string };

/** A request body as the JSON shape of `type`, or the reason it is not one. */
export function decodeMessage(encoding: MessageEncoding, type: MesosMessage, body: Buffer): DecodedBody {
  if (encoding === "protobuf") {
    try {
      return { ok: true, json: decodeProtobuf(type, body) };
    } catch (error) {
      if (!(error instanceof ProtobufDecodeError)) throw error;
      return { ok: false, message: `Failed to parse body into Call protobuf: ${error.message}` };
    }
  }
  try {
    return { ok: true, json: JSON.parse(body.toString("utf8")) as unknown };
  } catch (error) {
    return { ok: false, message: `Failed to parse body into JSON: ${(error as Error).message}` };
  }
}

/** `value` (the JSON shape of a `type` message) as bytes in `encoding`. */
export function encodeMessage(encoding: MessageEncoding, type: MesosMessage, value: object): Buffer {
  if (encoding === "protobuf") return Buffer.from(encodeProtobuf(type, value as Record<string, unknown>));
  return Buffer.from(toAsciiJson(value), "utf8");
}
