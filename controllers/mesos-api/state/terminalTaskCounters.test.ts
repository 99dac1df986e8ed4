import { describe, expect, it } from "vitest";
import { TerminalTaskCounters } from "./terminalTaskCounters.ts";

describe("TerminalTaskCounters", () => {
  it("counts each task once per terminal state, and keeps counting after the task is gone", () => {
    const c = new TerminalTaskCounters();
    c.observe("t1", "TASK_RUNNING");
    c.observe("t1", "TASK_FINISHED");
    c.observe("t1", "TASK_FINISHED");
    c.observe("t2", "TASK_FINISHED");
    expect(c.count("TASK_FINISHED")).toBe(2);
    expect(c.count("TASK_RUNNING")).toBe(0);
    c.forget("t1");
    expect(c.count("TASK_FINISHED")).toBe(2);
  });

  it("S-86: TASK_LOST then TASK_RUNNING again (a healed partition) still counts one lost task", () => {
    const c = new TerminalTaskCounters();
    c.observe("t1", "TASK_RUNNING");
    c.observe("t1", "TASK_LOST");
    c.observe("t1", "TASK_RUNNING");
    c.observe("t1", "TASK_LOST");
    expect(c.count("TASK_LOST")).toBe(1);
    expect(c.count("TASK_KILLED")).toBe(0);
  });

  it("ignores tasks without a state; clear() resets", () => {
    const c = new TerminalTaskCounters();
    c.observe("t1", undefined);
    c.observe("t2", "TASK_ERROR");
    c.clear();
    expect(c.count("TASK_ERROR")).toBe(0);
  });
});
