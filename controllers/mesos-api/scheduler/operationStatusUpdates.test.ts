// Operation feedback as Mesos gives it (master.cpp: drop, acknowledgeOperationStatus,
// reconcileOperations; the agent's operation status update manager): reliable terminal statuses
// for operations with an id, OPERATION_ERROR once for dropped ones, reconciliation cases 1–7.
import { describe, expect, it } from "vitest";
import type { OfferOperation } from "../messages/offerOperation.ts";
import type { OperationStatus } from "../messages/operationStatus.ts";
import { ManualTimers } from "../testing/manualTimers.ts";
import { type AgentStanding, OperationStatusUpdates, wireOperation } from "./operationStatusUpdates.ts";

function setup() {
  const timers = new ManualTimers();
  const sent: { at: number; frameworkId: string; status: OperationStatus }[] = [];
  const updates = new OperationStatusUpdates({
    timers,
    send: (frameworkId, status) => sent.push({ at: timers.now, frameworkId, status }),
  });
  return { timers, sent, updates };
}

const reserve = (id?: string): OfferOperation =>
  ({ type: "RESERVE", ...(id === undefined ? {} : { id: { value: id } }) }) as OfferOperation;

const FINISHED = { state: "OPERATION_FINISHED" } as const;

describe("OperationStatusUpdates", () => {
  it("re-sends the terminal status of an operation with an id at +10 s, +20 s, +40 s … until acknowledged", () => {
    const { timers, sent, updates } = setup();
    const status = updates.applied("f", "a1", reserve("op1"), FINISHED);
    expect(status).toMatchObject({
      operation_id: { value: "op1" },
      state: "OPERATION_FINISHED",
      agent_id: { value: "a1" },
    });
    expect(Buffer.from(status?.uuid?.value ?? "", "base64")).toHaveLength(16);
    timers.advance(75_000);
    expect(sent.map((s) => s.at / 1000)).toEqual([0, 10, 30, 70]);
    expect(new Set(sent.map((s) => s.status.uuid?.value))).toEqual(new Set([status?.uuid?.value]));

    expect(
      updates.acknowledge("f", { operation_id: { value: "op1" }, uuid: status?.uuid?.value ?? "" }),
    ).toBe("acknowledged");
    const before = sent.length;
    timers.advance(3600_000);
    expect(sent).toHaveLength(before);
    expect(timers.pending).toBe(0);
    // A terminal status acknowledged ends the operation: not listed, unknown to reconciliation.
    expect(updates.list()).toEqual([]);
  });

  it("sends nothing for an operation without an id and keeps nothing", () => {
    const { timers, sent, updates } = setup();
    expect(updates.applied("f", "a1", reserve(), FINISHED)).toBeUndefined();
    timers.advance(60_000);
    expect(sent).toEqual([]);
    expect(updates.list()).toEqual([]);
  });

  it("sends OPERATION_ERROR of a dropped operation once, without uuid, and forgets it", () => {
    const { timers, sent, updates } = setup();
    updates.dropped("f", reserve("bad"), "Invalid RESERVE Operation: nope");
    updates.dropped("f", reserve(), "no id: nothing sent");
    timers.advance(60_000);
    expect(sent.map((s) => s.status)).toEqual([
      {
        operation_id: { value: "bad" },
        state: "OPERATION_ERROR",
        message: "Invalid RESERVE Operation: nope",
      },
    ]);
    expect(updates.list()).toEqual([]);
  });

  it("ignores acknowledgements of unknown operations and of statuses it did not send", () => {
    const { timers, sent, updates } = setup();
    updates.applied("f", "a1", reserve("op1"), FINISHED);
    const other = Buffer.alloc(16, 7).toString("base64");
    expect(updates.acknowledge("f", { operation_id: { value: "nope" }, uuid: other })).toBe(
      "unknown operation",
    );
    expect(updates.acknowledge("f", { operation_id: { value: "op1" }, uuid: other })).toBe("unknown status");
    expect(updates.acknowledge("g", { operation_id: { value: "op1" }, uuid: other })).toBe(
      "unknown operation",
    );
    timers.advance(10_000);
    expect(sent).toHaveLength(2);
    expect(updates.list()).toHaveLength(1);
  });

  it("re-sends unacknowledged statuses at once when the framework subscribes again", () => {
    const { timers, sent, updates } = setup();
    updates.applied("f", "a1", reserve("op1"), FINISHED);
    updates.applied("g", "a1", reserve("op2"), FINISHED);
    timers.advance(5_000);
    updates.resume("f");
    expect(sent.map((s) => `${s.frameworkId}@${s.at}`)).toEqual(["f@0", "g@0", "f@5000"]);
  });

  it("answers implicit reconciliation with the latest status of every known operation, without uuid", () => {
    const { updates } = setup();
    updates.applied("f", "a1", reserve("op1"), FINISHED);
    updates.applied("f", "a2", reserve("op2"), { state: "OPERATION_FAILED", message: "write failed" });
    updates.applied("g", "a1", reserve("op3"), FINISHED);
    const answers = updates.reconcile("f", { operations: [] }, () => "registered");
    expect(answers).toEqual([
      { operation_id: { value: "op1" }, state: "OPERATION_FINISHED", agent_id: { value: "a1" } },
      {
        operation_id: { value: "op2" },
        state: "OPERATION_FAILED",
        message: "write failed",
        agent_id: { value: "a2" },
      },
    ]);
  });

  it.each<[string, AgentStanding | "none", string, string]>([
    ["registered agent", "registered", "OPERATION_UNKNOWN", "Reconciliation: Operation is unknown"],
    ["unreachable agent", "unreachable", "OPERATION_UNREACHABLE", "Reconciliation: Agent is unreachable"],
    [
      "agent marked gone",
      "gone",
      "OPERATION_GONE_BY_OPERATOR",
      "Reconciliation: Agent marked gone by operator",
    ],
    ["unknown agent", "unknown", "OPERATION_UNKNOWN", "Reconciliation: Both operation and agent are unknown"],
    [
      "no agent_id",
      "none",
      "OPERATION_UNKNOWN",
      "Reconciliation: Operation is unknown and no 'agent_id' was provided",
    ],
  ])("answers an unknown operation on a %s as Mesos", (_name, standing, state, message) => {
    const { updates } = setup();
    const entry =
      standing === "none"
        ? { operation_id: { value: "x" } }
        : { operation_id: { value: "x" }, agent_id: { value: "a9" } };
    const [answer] = updates.reconcile("f", { operations: [entry] }, () =>
      standing === "none" ? "unknown" : standing,
    );
    expect(answer).toEqual({
      operation_id: { value: "x" },
      state,
      message,
      ...(standing === "none" ? {} : { agent_id: { value: "a9" } }),
    });
  });

  it("answers a known operation explicitly with its latest status, whatever agent is named", () => {
    const { updates } = setup();
    updates.applied("f", "a1", reserve("op1"), FINISHED);
    const [answer] = updates.reconcile(
      "f",
      { operations: [{ operation_id: { value: "op1" }, agent_id: { value: "elsewhere" } }] },
      () => "unknown",
    );
    expect(answer).toEqual({
      operation_id: { value: "op1" },
      state: "OPERATION_FINISHED",
      agent_id: { value: "a1" },
    });
  });

  it("lists known operations as mesos.v1.Operation and forgets a removed framework's", () => {
    const { timers, sent, updates } = setup();
    const status = updates.applied("f", "a1", reserve("op1"), FINISHED);
    const [op] = updates.list();
    expect(op && wireOperation(op)).toMatchObject({
      framework_id: { value: "f" },
      agent_id: { value: "a1" },
      info: { type: "RESERVE", id: { value: "op1" } },
      latest_status: status,
      statuses: [status],
    });
    updates.forget("f");
    expect(updates.list()).toEqual([]);
    timers.advance(60_000);
    expect(sent).toHaveLength(1);
  });
});
