// HealthCheck and KillPolicy (semantics.md §2.5), with Mesos's default timings.
import type { z } from "zod";
import { double, enumeration, message, repeated, text, uint32 } from "../wire/protobufJson.ts";
import { CommandInfoSchema } from "./commandInfo.ts";
import { DurationInfoSchema } from "./time.ts";

const NETWORK_PROTOCOLS = ["IPv4", "IPv6"] as const;

export const HealthCheckSchema = message({
  delay_seconds: double().default(15),
  interval_seconds: double().default(10),
  timeout_seconds: double().default(20),
  consecutive_failures: uint32().default(3),
  grace_period_seconds: double().default(10),
  type: enumeration(["UNKNOWN", "COMMAND", "HTTP", "TCP"]).optional(),
  command: CommandInfoSchema.optional(),
  http: message({
    scheme: text().optional(),
    port: uint32(),
    path: text().optional(),
    statuses: repeated(uint32()),
    protocol: enumeration(NETWORK_PROTOCOLS).optional(),
  }).optional(),
  tcp: message({ port: uint32(), protocol: enumeration(NETWORK_PROTOCOLS).optional() }).optional(),
});
export type HealthCheck = z.infer<typeof HealthCheckSchema>;

export const KillPolicySchema = message({ grace_period: DurationInfoSchema.optional() });
export type KillPolicy = z.infer<typeof KillPolicySchema>;
