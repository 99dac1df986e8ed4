import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTerminalTaskState, TASK_STATES, type TaskState } from "../api/index.ts";
import { canTransition, isLostToPartition } from "./taskTransitions.ts";

const TERMINAL: TaskState[] = TASK_STATES.filter(isTerminalTaskState);

/** Every state that may follow each state (the partition exception is tested apart). */
const ALLOWED: Record<TaskState, TaskState[]> = {
  TASK_STAGING: ["TASK_STARTING", "TASK_RUNNING", "TASK_KILLING", "TASK_UNREACHABLE", ...TERMINAL],
  TASK_STARTING: ["TASK_RUNNING", "TASK_KILLING", "TASK_UNREACHABLE", ...TERMINAL],
  TASK_RUNNING: ["TASK_RUNNING", "TASK_KILLING", "TASK_UNREACHABLE", ...TERMINAL],
  TASK_KILLING: ["TASK_UNREACHABLE", ...TERMINAL],
  TASK_UNREACHABLE: ["TASK_RUNNING", "TASK_KILLING", ...TERMINAL],
  TASK_UNKNOWN: ["TASK_UNREACHABLE", ...TERMINAL],
  TASK_FINISHED: [],
  TASK_FAILED: [],
  TASK_KILLED: [],
  TASK_ERROR: [],
  TASK_LOST: [],
  TASK_DROPPED: [],
  TASK_GONE: [],
  TASK_GONE_BY_OPERATOR: [],
};

describe("canTransition", () => {
  const pairs = TASK_STATES.flatMap((from) => TASK_STATES.map((to) => [from, to] as const));
  it.each(pairs)("%s → %s", (from, to) => {
    expect(canTransition(from, to, false)).toBe(ALLOWED[from].includes(to));
  });

  it.each(TASK_STATES)("anything may come first: → %s", (to) => {
    expect(canTransition(undefined, to, false)).toBe(true);
  });

  it("a task lost to a partition may only run again", () => {
    for (const to of TASK_STATES) expect(canTransition("TASK_LOST", to, true)).toBe(to === "TASK_RUNNING");
  });

  it("terminal states other than a partition's TASK_LOST are never left", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TERMINAL),
        fc.constantFrom(...TASK_STATES),
        fc.boolean(),
        (from, to, lost) => {
          if (from === "TASK_LOST" && lost) return;
          expect(canTransition(from, to, lost)).toBe(false);
        },
      ),
    );
  });

  it("isLostToPartition needs TASK_LOST and an unreachable time", () => {
    expect(isLostToPartition({ state: "TASK_LOST", unreachableTime: "2026-01-01T00:00:00Z" })).toBe(true);
    expect(isLostToPartition({ state: "TASK_LOST" })).toBe(false);
    expect(isLostToPartition({ state: "TASK_UNREACHABLE", unreachableTime: "2026-01-01T00:00:00Z" })).toBe(
      false,
    );
    expect(isLostToPartition(undefined)).toBe(false);
  });
});
