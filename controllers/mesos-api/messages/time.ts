// TimeInfo and DurationInfo (nanoseconds, int64) and google.protobuf.Duration as DRAIN_AGENT uses it.
import { z } from "zod";
import { int64, message } from "../wire/protobufJson.ts";

export const TimeInfoSchema = message({ nanoseconds: int64() });
export type TimeInfo = z.infer<typeof TimeInfoSchema>;

export const DurationInfoSchema = message({ nanoseconds: int64() });
export type DurationInfo = z.infer<typeof DurationInfoSchema>;

/** TimeInfo of a time given in seconds since the epoch. */
export function timeInfoFromSeconds(seconds: number): TimeInfo {
  return { nanoseconds: Math.round(seconds * 1e9) };
}

/** Seconds since the epoch (the float form of the legacy endpoints) of a TimeInfo. */
export function secondsFromTimeInfo(time: TimeInfo): number {
  return time.nanoseconds / 1e9;
}

/**
 * google.protobuf.Duration in its proto3 JSON form ("600s", "1.5s") or as `{"seconds", "nanos"}`;
 * read as seconds.
 */
export const ProtobufDurationSchema = z.union([
  z
    .string()
    .regex(/^-?[0-9]+(\.[0-9]{1,9})?s$/)
    .transform((s) => Number(s.slice(0, -1))),
  message({ seconds: int64().optional(), nanos: int64().optional() }).transform(
    (d) => (d.seconds ?? 0) + (d.nanos ?? 0) / 1e9,
  ),
]);
