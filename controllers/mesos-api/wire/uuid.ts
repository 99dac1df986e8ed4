// Status-update UUIDs. On the Mesos wire they are 16 raw bytes in a `bytes` field, i.e. base64
// in JSON (TaskStatus.uuid, Call.Acknowledge.uuid); the Task CR stores them as UUID text.
import { randomUUID } from "node:crypto";

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when the base64 `value` decodes to exactly 16 bytes (Mesos: "Not a valid UUID" otherwise). */
export function isUuidBytes(value: string): boolean {
  return Buffer.from(value, "base64").length === 16;
}

/** Base64 of the 16 bytes of UUID text such as `3f2c…`. */
export function uuidTextToBase64(uuid: string): string {
  if (!UUID_TEXT.test(uuid)) throw new RangeError(`not a UUID: ${uuid}`);
  return Buffer.from(uuid.replaceAll("-", ""), "hex").toString("base64");
}

/** UUID text (lower case) of base64-encoded 16 bytes. */
export function base64ToUuidText(value: string): string {
  const hex = Buffer.from(value, "base64").toString("hex");
  if (hex.length !== 32) throw new RangeError("not 16 bytes");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A fresh random status-update uuid, base64 as it goes on the wire. */
export function newStatusUuid(): string {
  return uuidTextToBase64(randomUUID());
}
