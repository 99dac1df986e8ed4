// Maintenance primitives (maintenance.proto, semantics.md §3.6): machines, windows, schedules.
import type { z } from "zod";
import { message, repeated, text } from "../wire/protobufJson.ts";
import { DurationInfoSchema, TimeInfoSchema } from "./time.ts";

export const UnavailabilitySchema = message({
  start: TimeInfoSchema,
  duration: DurationInfoSchema.optional(),
});
export type Unavailability = z.infer<typeof UnavailabilitySchema>;

export const MachineIdSchema = message({ hostname: text().optional(), ip: text().optional() });
export type MachineId = z.infer<typeof MachineIdSchema>;

export const MaintenanceWindowSchema = message({
  machine_ids: repeated(MachineIdSchema),
  unavailability: UnavailabilitySchema,
});

export const MaintenanceScheduleSchema = message({ windows: repeated(MaintenanceWindowSchema) });
export type MaintenanceSchedule = z.infer<typeof MaintenanceScheduleSchema>;

/** maintenance.proto ClusterStatus, as GET_MAINTENANCE_STATUS answers it. */
export interface MaintenanceClusterStatus {
  draining_machines: {
    id: MachineId;
    statuses: {
      status: "UNKNOWN" | "ACCEPT" | "DECLINE";
      framework_id: { value: string };
      timestamp?: { nanoseconds: number } | undefined;
    }[];
  }[];
  down_machines: MachineId[];
}
