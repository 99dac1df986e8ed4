// The maintenance registry of a Mesos master (semantics.md §3.6; Mesos src/master/maintenance.cpp
// and the maintenance handlers of src/master/http.cpp): one schedule of windows, and the machines
// it names with their mode (DRAINING once scheduled, DOWN after START_MAINTENANCE; UP machines
// are not kept). Pure: the transitions return the next state or Mesos's error text, and the store
// (maintenanceStore.ts) persists what they return.
import type { MachineId, MaintenanceSchedule, Unavailability } from "../messages/maintenance.ts";

export type MachineMode = "DRAINING" | "DOWN";

export interface MachineRecord {
  id: MachineId;
  mode: MachineMode;
  unavailability: Unavailability;
}

export interface MaintenanceState {
  schedule: MaintenanceSchedule;
  machines: MachineRecord[];
}

export const EMPTY_MAINTENANCE: MaintenanceState = { schedule: { windows: [] }, machines: [] };

export type Transition = { ok: true; state: MaintenanceState } | { ok: false; message: string };

/** MachineID equality in Mesos: the hostname is compared case-insensitively, the IP exactly. */
export const machineKey = (id: MachineId): string =>
  `${(id.hostname ?? "").toLowerCase()}\u0000${id.ip ?? ""}`;

/** protobuf DebugString of a MachineID, as Mesos's schedule validation quotes it. */
export function machineDebugString(id: MachineId): string {
  let out = "";
  if (id.hostname !== undefined) out += `hostname: ${JSON.stringify(id.hostname)}\n`;
  if (id.ip !== undefined) out += `ip: ${JSON.stringify(id.ip)}\n`;
  return out;
}

/** JSON::protobuf of a MachineID, as START/STOP_MAINTENANCE quote it. */
export const machineJson = (id: MachineId): string =>
  JSON.stringify({
    ...(id.hostname === undefined ? {} : { hostname: id.hostname }),
    ...(id.ip === undefined ? {} : { ip: id.ip }),
  });

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** validation::machine: a hostname or an IP, and the IP an IPv4 address. */
export function machineError(id: MachineId): string | undefined {
  if ((id.hostname ?? "") === "" && (id.ip ?? "") === "")
    return "Both 'hostname' and 'ip' for a machine are empty";
  if ((id.ip ?? "") !== "" && !IPV4.test(id.ip ?? "")) return `Failed to parse IPv4: ${id.ip}`;
  return undefined;
}

/** validation::machines (START/STOP_MAINTENANCE): non-empty, each valid, each once. */
export function machinesError(ids: readonly MachineId[]): string | undefined {
  if (ids.length === 0) return "List of machines is empty";
  const seen = new Set<string>();
  for (const id of ids) {
    const error = machineError(id);
    if (error !== undefined) return error;
    if (seen.has(machineKey(id)))
      return `Machine '${machineDebugString(id)}' appears more than once in the schedule`;
    seen.add(machineKey(id));
  }
  return undefined;
}

/** validation::schedule against the current machines. */
export function scheduleError(
  schedule: MaintenanceSchedule,
  machines: readonly MachineRecord[],
): string | undefined {
  const updated = new Set<string>();
  for (const window of schedule.windows) {
    if (window.machine_ids.length === 0) return "List of machines in the maintenance window is empty";
    if ((window.unavailability.duration?.nanoseconds ?? 0) < 0)
      return "Unavailability 'duration' is negative";
    for (const id of window.machine_ids) {
      const error = machineError(id);
      if (error !== undefined) return error;
      if (updated.has(machineKey(id)))
        return `Machine '${machineDebugString(id)}' appears more than once in the schedule`;
      updated.add(machineKey(id));
    }
  }
  for (const m of machines)
    if (m.mode === "DOWN" && !updated.has(machineKey(m.id)))
      return `Machine '${machineDebugString(m.id)}' is deactivated and cannot be removed from the schedule`;
  return undefined;
}

/**
 * UPDATE_MAINTENANCE_SCHEDULE: replaces the schedule. Machines new to it start DRAINING, machines
 * still in it keep their mode with the new unavailability, machines left out are UP (forgotten).
 */
export function updateSchedule(state: MaintenanceState, schedule: MaintenanceSchedule): Transition {
  const error = scheduleError(schedule, state.machines);
  if (error !== undefined) return { ok: false, message: error };
  const existing = new Map(state.machines.map((m) => [machineKey(m.id), m]));
  const machines: MachineRecord[] = [];
  for (const window of schedule.windows)
    for (const id of window.machine_ids)
      machines.push({
        id: existing.get(machineKey(id))?.id ?? id,
        mode: existing.get(machineKey(id))?.mode ?? "DRAINING",
        unavailability: window.unavailability,
      });
  return { ok: true, state: { schedule, machines } };
}

/** START_MAINTENANCE: scheduled DRAINING machines go DOWN. */
export function startMaintenance(state: MaintenanceState, ids: readonly MachineId[]): Transition {
  const error = machinesError(ids);
  if (error !== undefined) return { ok: false, message: error };
  const byKey = new Map(state.machines.map((m) => [machineKey(m.id), m]));
  for (const id of ids) {
    const m = byKey.get(machineKey(id));
    if (m === undefined)
      return { ok: false, message: `Machine '${machineJson(id)}' is not part of a maintenance schedule` };
    if (m.mode !== "DRAINING")
      return {
        ok: false,
        message: `Machine '${machineJson(id)}' is not in DRAINING mode and cannot be brought down`,
      };
  }
  const down = new Set(ids.map(machineKey));
  return {
    ok: true,
    state: {
      schedule: state.schedule,
      machines: state.machines.map((m) => (down.has(machineKey(m.id)) ? { ...m, mode: "DOWN" } : m)),
    },
  };
}

/** STOP_MAINTENANCE: DOWN machines come back UP and leave the schedule (empty windows go too). */
export function stopMaintenance(state: MaintenanceState, ids: readonly MachineId[]): Transition {
  const error = machinesError(ids);
  if (error !== undefined) return { ok: false, message: error };
  const byKey = new Map(state.machines.map((m) => [machineKey(m.id), m]));
  for (const id of ids) {
    const m = byKey.get(machineKey(id));
    if (m === undefined)
      return { ok: false, message: `Machine '${machineJson(id)}' is not part of a maintenance schedule` };
    if (m.mode !== "DOWN")
      return {
        ok: false,
        message: `Machine '${machineJson(id)}' is not in DOWN mode and cannot be brought up`,
      };
  }
  const up = new Set(ids.map(machineKey));
  const windows = state.schedule.windows
    .map((w) => ({ ...w, machine_ids: w.machine_ids.filter((id) => !up.has(machineKey(id))) }))
    .filter((w) => w.machine_ids.length > 0);
  return {
    ok: true,
    state: { schedule: { windows }, machines: state.machines.filter((m) => !up.has(machineKey(m.id))) },
  };
}

/** What a node answers to when matched against a MachineID. */
export interface MachineAddress {
  /** The agent's hostname and the node's name: either matches. */
  hostnames: readonly string[];
  /** The node's addresses: any matches. */
  ips: readonly string[];
}

/**
 * Whether a MachineID names this node. Mesos requires both fields to equal the agent's; here a
 * field left out is not compared (a Kubernetes node has several addresses, and operators usually
 * know its name): docs/mesos-compatibility.md.
 */
export function machineMatches(id: MachineId, address: MachineAddress): boolean {
  const hostname = (id.hostname ?? "").toLowerCase();
  const ip = id.ip ?? "";
  if (hostname === "" && ip === "") return false;
  if (hostname !== "" && !address.hostnames.some((h) => h.toLowerCase() === hostname)) return false;
  if (ip !== "" && !address.ips.includes(ip)) return false;
  return true;
}

/** The machine record naming this node, if any (the first, should two match it). */
export function machineOf(state: MaintenanceState, address: MachineAddress): MachineRecord | undefined {
  return state.machines.find((m) => machineMatches(m.id, address));
}
