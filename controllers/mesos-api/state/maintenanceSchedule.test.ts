import { describe, expect, it } from "vitest";
import type { MachineId, MaintenanceSchedule, Unavailability } from "../messages/maintenance.ts";
import {
  EMPTY_MAINTENANCE,
  type MaintenanceState,
  machineMatches,
  machineOf,
  startMaintenance,
  stopMaintenance,
  updateSchedule,
} from "./maintenanceSchedule.ts";

const u: Unavailability = { start: { nanoseconds: 2e18 }, duration: { nanoseconds: 3600e9 } };
const m1: MachineId = { hostname: "Machine1", ip: "0.0.0.1" };
const m2: MachineId = { hostname: "Machine2", ip: "0.0.0.2" };
const schedule = (...windows: MachineId[][]): MaintenanceSchedule => ({
  windows: windows.map((machine_ids) => ({ machine_ids, unavailability: u })),
});

function ok(t: ReturnType<typeof updateSchedule>): MaintenanceState {
  if (!t.ok) throw new Error(t.message);
  return t.state;
}

describe("UPDATE_MAINTENANCE_SCHEDULE validation (Mesos MasterMaintenanceTest.UpdateSchedule)", () => {
  it.each([
    ["an empty window", schedule([]), "List of machines in the maintenance window is empty"],
    [
      "a machine twice",
      schedule([m1], [m1]),
      'Machine \'hostname: "Machine1"\nip: "0.0.0.1"\n\' appears more than once in the schedule',
    ],
    [
      "a machine twice, hostnames differing in case",
      schedule([m1, { hostname: "MACHINE1", ip: "0.0.0.1" }]),
      'Machine \'hostname: "MACHINE1"\nip: "0.0.0.1"\n\' appears more than once in the schedule',
    ],
    [
      "a machine with neither hostname nor IP",
      schedule([{}]),
      "Both 'hostname' and 'ip' for a machine are empty",
    ],
    ["an IP that is no IPv4 address", schedule([{ ip: "300.1.1.1" }]), "Failed to parse IPv4: 300.1.1.1"],
    [
      "a negative duration",
      {
        windows: [
          { machine_ids: [m1], unavailability: { start: u.start, duration: { nanoseconds: -10e9 } } },
        ],
      },
      "Unavailability 'duration' is negative",
    ],
  ])("refuses %s", (_what, s, message) => {
    expect(updateSchedule(EMPTY_MAINTENANCE, s)).toEqual({ ok: false, message });
  });

  it("accepts a start in the past, a machine by hostname or IP only, and the empty schedule", () => {
    const past = { windows: [{ machine_ids: [m1], unavailability: { start: { nanoseconds: -10e9 } } }] };
    expect(updateSchedule(EMPTY_MAINTENANCE, past).ok).toBe(true);
    expect(updateSchedule(EMPTY_MAINTENANCE, schedule([{ hostname: "h" }], [{ ip: "10.0.0.1" }])).ok).toBe(
      true,
    );
    expect(ok(updateSchedule(ok(updateSchedule(EMPTY_MAINTENANCE, schedule([m1]))), schedule()))).toEqual(
      EMPTY_MAINTENANCE,
    );
  });

  it("scheduled machines start DRAINING and keep their mode across updates; left-out ones are UP", () => {
    const s1 = ok(updateSchedule(EMPTY_MAINTENANCE, schedule([m1, m2])));
    expect(s1.machines.map((m) => [m.id.hostname, m.mode])).toEqual([
      ["Machine1", "DRAINING"],
      ["Machine2", "DRAINING"],
    ]);
    const down = startMaintenance(s1, [m1]);
    if (!down.ok) throw new Error(down.message);
    const moved = { start: { nanoseconds: 3e18 } };
    const s2 = ok(updateSchedule(down.state, { windows: [{ machine_ids: [m1], unavailability: moved }] }));
    expect(s2.machines).toEqual([{ id: m1, mode: "DOWN", unavailability: moved }]);
  });

  it("a DOWN machine cannot leave the schedule (FailToUnscheduleDeactivatedMachines)", () => {
    const s1 = ok(updateSchedule(EMPTY_MAINTENANCE, schedule([m1, m2])));
    const down = startMaintenance(s1, [m1]);
    if (!down.ok) throw new Error(down.message);
    expect(updateSchedule(down.state, schedule([m2]))).toEqual({
      ok: false,
      message:
        'Machine \'hostname: "Machine1"\nip: "0.0.0.1"\n\' is deactivated and cannot be removed from the schedule',
    });
    const up = stopMaintenance(down.state, [m1]);
    if (!up.ok) throw new Error(up.message);
    expect(updateSchedule(up.state, schedule([m2])).ok).toBe(true);
  });
});

describe("START/STOP_MAINTENANCE (BringDownMachines, BringUpMachines)", () => {
  const scheduled = ok(updateSchedule(EMPTY_MAINTENANCE, schedule([m1], [m2])));

  it.each([
    ["no machines", [], "List of machines is empty"],
    [
      "an unscheduled machine",
      [{ hostname: "other" }],
      'Machine \'{"hostname":"other"}\' is not part of a maintenance schedule',
    ],
    [
      "a machine twice",
      [m1, m1],
      'Machine \'hostname: "Machine1"\nip: "0.0.0.1"\n\' appears more than once in the schedule',
    ],
  ])("START refuses %s", (_what, ids, message) => {
    expect(startMaintenance(scheduled, ids)).toEqual({ ok: false, message });
  });

  it("STOP needs DOWN machines; START needs DRAINING ones", () => {
    expect(stopMaintenance(scheduled, [m1])).toEqual({
      ok: false,
      message:
        'Machine \'{"hostname":"Machine1","ip":"0.0.0.1"}\' is not in DOWN mode and cannot be brought up',
    });
    const down = startMaintenance(scheduled, [m1]);
    if (!down.ok) throw new Error(down.message);
    expect(startMaintenance(down.state, [m1])).toEqual({
      ok: false,
      message:
        'Machine \'{"hostname":"Machine1","ip":"0.0.0.1"}\' is not in DRAINING mode and cannot be brought down',
    });
  });

  it("STOP brings the machine UP and removes it (and its emptied window) from the schedule", () => {
    const down = startMaintenance(scheduled, [m1]);
    if (!down.ok) throw new Error(down.message);
    const up = stopMaintenance(down.state, [{ hostname: "machine1", ip: "0.0.0.1" }]);
    if (!up.ok) throw new Error(up.message);
    expect(up.state.schedule).toEqual(schedule([m2]));
    expect(up.state.machines.map((m) => m.id)).toEqual([m2]);
  });
});

describe("machines and nodes", () => {
  const node = { hostnames: ["kwok-node-0", "kwok-node-0.local"], ips: ["10.0.0.5"] };

  it.each([
    [{ hostname: "KWOK-node-0" }, true],
    [{ ip: "10.0.0.5" }, true],
    [{ hostname: "kwok-node-0", ip: "10.0.0.5" }, true],
    [{ hostname: "kwok-node-0", ip: "10.0.0.6" }, false],
    [{ hostname: "kwok-node-1" }, false],
    [{}, false],
  ])("%j matches: %s", (id, expected) => {
    expect(machineMatches(id, node)).toBe(expected);
  });

  it("finds the record of a node", () => {
    const s = ok(updateSchedule(EMPTY_MAINTENANCE, schedule([m1], [{ hostname: "kwok-node-0" }])));
    expect(machineOf(s, node)?.id).toEqual({ hostname: "kwok-node-0" });
    expect(machineOf(s, { hostnames: ["x"], ips: [] })).toBeUndefined();
  });
});
