import { describe, expect, it } from "vitest";
import { parseResources } from "../../allocator/index.ts";
import { type ExecutorInfo, ExecutorInfoSchema } from "./executorInfo.ts";
import { launchGroupError } from "./launchGroupValidation.ts";
import { type TaskInfo, TaskInfoSchema } from "./taskInfo.ts";

const scalar = (name: string, value: number) => ({ name, type: "SCALAR", scalar: { value } });
const executor = (extra: Record<string, unknown> = {}): ExecutorInfo =>
  ExecutorInfoSchema.parse({
    type: "DEFAULT",
    executor_id: { value: "E" },
    resources: [scalar("cpus", 0.1), scalar("mem", 32), scalar("disk", 32)],
    ...extra,
  });
const task = (id: string, extra: Record<string, unknown> = {}): TaskInfo =>
  TaskInfoSchema.parse({
    name: id,
    task_id: { value: id },
    agent_id: { value: "A" },
    resources: [scalar("cpus", 0.5), scalar("mem", 128)],
    command: { value: "sleep 1" },
    ...extra,
  });
const offered = parseResources("cpus:2;mem:1024;disk:1024");

describe("LAUNCH_GROUP validation (master/validation.cpp task::group)", () => {
  it("accepts a DEFAULT executor with enough resources and tasks that fit", () => {
    expect(launchGroupError(executor(), [task("a"), task("b")], offered, "*")).toBeUndefined();
  });

  it("needs the executor type", () => {
    const untyped = ExecutorInfoSchema.parse({ executor_id: { value: "E" }, resources: [] });
    expect(launchGroupError(untyped, [task("a")], offered, "*")).toBe("'ExecutorInfo.type' must be set");
    expect(launchGroupError(executor({ type: "UNKNOWN" }), [task("a")], offered, "*")).toBe(
      "Unknown executor type",
    );
  });

  it("refuses Docker containers on the executor and on the tasks", () => {
    const docker = { type: "DOCKER", docker: { image: "busybox" } };
    expect(launchGroupError(executor({ container: docker }), [task("a")], offered, "*")).toBe(
      "Docker ContainerInfo is not supported on the executor",
    );
    expect(launchGroupError(executor(), [task("a", { container: docker })], offered, "*")).toBe(
      "Task 'a' is invalid: Docker ContainerInfo is not supported on the task",
    );
  });

  it("refuses a task whose own ExecutorInfo is another", () => {
    const other = { type: "DEFAULT", executor_id: { value: "F" }, resources: [] };
    expect(launchGroupError(executor(), [task("a", { executor: other })], offered, "*")).toBe(
      "The `ExecutorInfo` of task 'a' is different from executor 'E'",
    );
  });

  it("checks the executor's minimum resources with Mesos's wording", () => {
    expect(launchGroupError(executor({ resources: [] }), [task("a")], offered, "*")).toBe(
      "Executor 'E' uses less CPUs (None) than the minimum required (0.01)",
    );
    expect(
      launchGroupError(
        executor({ resources: [scalar("cpus", 0.1), scalar("mem", 16)] }),
        [task("a")],
        offered,
        "*",
      ),
    ).toBe("Executor 'E' uses less memory (16MB) than the minimum required (32MB)");
    expect(
      launchGroupError(
        executor({ resources: [scalar("cpus", 0.1), scalar("mem", 32)] }),
        [task("a")],
        offered,
        "*",
      ),
    ).toBe("Executor 'E' uses no disk");
  });

  it("needs the tasks and the executor to fit in the offers", () => {
    const big = task("a", { resources: [scalar("cpus", 2), scalar("mem", 128)] });
    expect(launchGroupError(executor(), [big], offered, "*")).toMatch(
      /^Total resources cpus\(allocated: \*\):2\.1; mem\(allocated: \*\):160; disk\(allocated: \*\):32 required by task group and its executor are more than available /,
    );
  });

  it("refuses custom executors, which this operator cannot run", () => {
    expect(launchGroupError(executor({ type: "CUSTOM" }), [task("a")], offered, "*")).toMatch(
      /DEFAULT executor/,
    );
  });
});
