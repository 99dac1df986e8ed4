import { describe, expect, it } from "vitest";
import { DRAIN_ANNOTATION, nodeDrain, nodeDrainText } from "../../allocator/index.ts";
import type { Node } from "../../cluster/nodeSchema.ts";
import { agentDrainFields, drainAgent, machineText, reactivateAgent } from "./drainCalls.ts";

const node = (annotations: Record<string, string> = {}, unschedulable = false): Node =>
  ({
    metadata: { name: "n1", uid: "u1", annotations },
    spec: unschedulable ? { unschedulable } : {},
    status: { addresses: [{ type: "InternalIP", address: "10.0.0.1" }] },
  }) as Node;
const now = new Date("2026-11-25T12:00:00Z");
const noSchedule = { windows: [] };
const drainingText = (state: "DRAINING" | "DRAINED") =>
  nodeDrainText({ state, config: { mark_gone: false }, started: now.toISOString() });

describe("DRAIN_AGENT", () => {
  it("cordons the node and records DRAINING with the config", () => {
    const out = drainAgent({
      agentId: "u1-S0",
      node: node(),
      schedule: noSchedule,
      maxGracePeriodSeconds: 10,
      markGone: true,
      now,
    });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.patch?.unschedulable).toBe(true);
    const written = out.patch?.annotations?.[DRAIN_ANNOTATION];
    expect(nodeDrain(node({ [DRAIN_ANNOTATION]: written ?? "" }))).toEqual({
      state: "DRAINING",
      config: { mark_gone: true, max_grace_period: { nanoseconds: 10e9 } },
      started: "2026-11-25T12:00:00.000Z",
    });
  });

  it("again (even when DRAINED) starts over from DRAINING with the new config; a cordon stays", () => {
    const out = drainAgent({
      agentId: "u1-S0",
      node: node({ [DRAIN_ANNOTATION]: drainingText("DRAINED") }, true),
      schedule: noSchedule,
      maxGracePeriodSeconds: undefined,
      markGone: false,
      now,
    });
    if (!out.ok) throw new Error(out.message);
    expect(out.patch?.unschedulable).toBeUndefined();
    expect(nodeDrain(node({ [DRAIN_ANNOTATION]: out.patch?.annotations?.[DRAIN_ANNOTATION] ?? "" }))).toEqual(
      {
        state: "DRAINING",
        config: { mark_gone: false },
        started: "2026-11-25T12:00:00.000Z",
      },
    );
  });

  it("a negative bound is stored as zero", () => {
    const out = drainAgent({
      agentId: "a",
      node: node(),
      schedule: noSchedule,
      maxGracePeriodSeconds: -3,
      markGone: false,
      now,
    });
    if (!out.ok) throw new Error(out.message);
    expect(
      nodeDrain(node({ [DRAIN_ANNOTATION]: out.patch?.annotations?.[DRAIN_ANNOTATION] ?? "" }))?.config,
    ).toEqual({
      mark_gone: false,
      max_grace_period: { nanoseconds: 0 },
    });
  });

  it("refuses an unknown agent and one under a maintenance schedule, with Mesos's texts", () => {
    const input = {
      agentId: "u1-S0",
      schedule: noSchedule,
      maxGracePeriodSeconds: undefined,
      markGone: false,
      now,
    };
    expect(drainAgent({ ...input, node: undefined })).toEqual({
      ok: false,
      status: 400,
      message: "Unknown agent",
    });
    const unavailability = { start: { nanoseconds: 0 } };
    const schedule = { windows: [{ machine_ids: [{ hostname: "N1", ip: "10.0.0.1" }], unavailability }] };
    expect(drainAgent({ ...input, node: node(), schedule })).toEqual({
      ok: false,
      status: 400,
      message: "Agent u1-S0 is part of a maintenance schedule under Machine N1 (10.0.0.1)",
    });
    const elsewhere = { windows: [{ machine_ids: [{ hostname: "n2" }], unavailability }] };
    expect(drainAgent({ ...input, node: node(), schedule: elsewhere }).ok).toBe(true);
  });

  it("quotes a MachineID as Mesos prints it", () => {
    expect(machineText({ hostname: "h", ip: "1.2.3.4" })).toBe("h (1.2.3.4)");
    expect(machineText({ hostname: "h" })).toBe("h");
    expect(machineText({ ip: "1.2.3.4" })).toBe("(1.2.3.4)");
  });
});

describe("REACTIVATE_AGENT and draining", () => {
  it("refuses while DRAINING, and an agent neither cordoned nor drained", () => {
    expect(reactivateAgent(node({ [DRAIN_ANNOTATION]: drainingText("DRAINING") }, true))).toEqual({
      ok: false,
      status: 400,
      message: "Agent is still in the DRAINING state",
    });
    expect(reactivateAgent(node())).toEqual({ ok: false, status: 400, message: "Agent is not deactivated" });
    expect(reactivateAgent(undefined)).toEqual({
      ok: false,
      status: 400,
      message: "Agent is not deactivated",
    });
  });

  it("ends a DRAINED state and the cordon; a plain cordon is just lifted", () => {
    expect(reactivateAgent(node({ [DRAIN_ANNOTATION]: drainingText("DRAINED") }, true))).toEqual({
      ok: true,
      patch: { annotations: { [DRAIN_ANNOTATION]: null }, unschedulable: false },
    });
    // Uncordoned by hand meanwhile: still deactivated by the drain.
    expect(reactivateAgent(node({ [DRAIN_ANNOTATION]: drainingText("DRAINED") }))).toEqual({
      ok: true,
      patch: { annotations: { [DRAIN_ANNOTATION]: null } },
    });
    expect(reactivateAgent(node({}, true))).toEqual({ ok: true, patch: { unschedulable: false } });
  });
});

describe("GET_AGENTS drain fields", () => {
  it("drain_info and estimated_drain_start_time, absent when not draining", () => {
    expect(agentDrainFields(node())).toEqual({});
    const text = nodeDrainText({
      state: "DRAINED",
      config: { mark_gone: false, max_grace_period: { nanoseconds: 0 } },
      started: now.toISOString(),
    });
    expect(agentDrainFields(node({ [DRAIN_ANNOTATION]: text }))).toEqual({
      drain_info: { state: "DRAINED", config: { mark_gone: false, max_grace_period: { nanoseconds: 0 } } },
      estimated_drain_start_time: { nanoseconds: now.getTime() * 1e6 },
    });
  });
});
