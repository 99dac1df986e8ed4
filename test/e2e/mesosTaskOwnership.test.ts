// Both doors' Tasks are owned by their Framework (DESIGN.md): a Task made by the Mesos API's
// ACCEPT carries the owner reference from its creation, a Task applied with kubectl is adopted by
// the task reconciler; after a teardown garbage collection removes them, while GET_STATE still
// lists the torn-down framework and its tasks as completed (the master's memory). And a scheduler
// that asks GET_FRAMEWORKS right after SUBSCRIBED finds itself, as on a Mesos master.
import { execFileSync } from "node:child_process";
import { describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import type { Framework, Task } from "../../controllers/api/index.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { customResources } from "./support/operator.ts";
import { tool } from "./support/paths.ts";
import { waitFor } from "./support/wait.ts";

const bed = mesosTestBed({ name: "owned", agents: { a: { cpu: "4", memory: "4Gi" } } });
const frameworks = customResources(bed.c, "frameworks");
const tasks = customResources(bed.c, "tasks");

interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

const ownerOf = (fw: Framework): OwnerReference => ({
  apiVersion: "mesos.operator.dev/v1alpha1",
  kind: "Framework",
  name: fw.metadata.name ?? "",
  uid: fw.metadata.uid ?? "",
  controller: true,
  blockOwnerDeletion: true,
});

/** `kubectl get mtask -o yaml` in the bed's namespace, as a user would look. */
function kubectlTasks(): Task[] {
  const out = execFileSync(
    tool("kubectl"),
    ["--kubeconfig", inject("kubeconfig"), "-n", bed.ns, "get", "mtask", "-o", "yaml"],
    { encoding: "utf8" },
  );
  return (parse(out) as { items: Task[] }).items;
}

const listTasks = async () => (await tasks.list(bed.ns)).items as Task[];
const listFrameworks = async () => (await frameworks.list(bed.ns)).items as Framework[];

type FrameworkState = { framework_info: { id: { value: string } }; active: boolean; connected: boolean };

describe("the state views right after SUBSCRIBED", () => {
  it("GET_FRAMEWORKS, GET_STATE and /master/frameworks list the framework at once, active and connected", async () => {
    const s = await bed.subscribe({ name: "at-once" });
    // Asked as soon as SUBSCRIBED arrived: the Framework object may not be written yet.
    const [frameworksCall, stateCall, legacy] = await Promise.all([
      bed.operatorCall({ type: "GET_FRAMEWORKS" }),
      bed.operatorCall({ type: "GET_STATE" }),
      fetch(`${bed.base}/master/frameworks`).then((r) => r.json()),
    ]);
    const listed = (frameworksCall.json as { get_frameworks: { frameworks: FrameworkState[] } })
      .get_frameworks.frameworks;
    expect(listed.find((f) => f.framework_info.id.value === s.frameworkId)).toMatchObject({
      active: true,
      connected: true,
    });
    const inState = (stateCall.json as { get_state: { get_frameworks: { frameworks: FrameworkState[] } } })
      .get_state.get_frameworks.frameworks;
    expect(inState.map((f) => f.framework_info.id.value)).toContain(s.frameworkId);
    const v0 = (legacy as { frameworks: { id: string; active: boolean; connected: boolean }[] }).frameworks;
    expect(v0.find((f) => f.id === s.frameworkId)).toMatchObject({ active: true, connected: true });
    await bed.teardownSessions();
  });
});

describe("Task objects are owned by their Framework", () => {
  it("a Mesos-API task: owner reference from creation; after TEARDOWN it is garbage-collected and listed as completed", async () => {
    const s = (await bed.subscribe({ name: "owner" })).acknowledgeUpdates();
    const offer = await s.nextOffer();
    expect(await s.launch([offer], [{ id: "owned-1", cpus: 0.5, mem: 64 }])).toBe(202);
    await s.update("owned-1", "TASK_RUNNING");

    const fw = (await listFrameworks()).find(
      (f) => f.metadata.annotations?.["mesos.operator.dev/framework-id"] === s.frameworkId,
    );
    expect(fw).toBeDefined();
    const task = kubectlTasks().find((t) => t.spec.taskId === "owned-1");
    expect(task?.metadata.ownerReferences).toEqual([ownerOf(fw as Framework)]);

    await s.teardown();
    await waitFor(
      "the Framework and its Task gone (teardown, then garbage collection)",
      async () =>
        !(await listFrameworks()).some((f) => f.metadata.uid === fw?.metadata.uid) &&
        !(await listTasks()).some((t) => t.metadata.uid === task?.metadata.uid),
      { timeoutMs: 60_000, describe: async () => bed.operator.process.output().slice(-3000) },
    );
    const state = (
      (await bed.operatorCall({ type: "GET_STATE" })).json as {
        get_state: {
          get_frameworks: { completed_frameworks?: FrameworkState[] };
          get_tasks: {
            completed_tasks?: {
              task_id: { value: string };
              framework_id: { value: string };
              state: string;
            }[];
          };
        };
      }
    ).get_state;
    expect(state.get_frameworks.completed_frameworks?.map((f) => f.framework_info.id.value)).toContain(
      s.frameworkId,
    );
    expect(
      state.get_tasks.completed_tasks?.find(
        (t) => t.task_id.value === "owned-1" && t.framework_id.value === s.frameworkId,
      )?.state,
    ).toBe("TASK_KILLED");
  });

  it("a kubectl task is adopted by its Framework and goes with it", async () => {
    const fw = (await frameworks.create(bed.ns, {
      apiVersion: "mesos.operator.dev/v1alpha1",
      kind: "Framework",
      metadata: { name: "kubectl-fw" },
      spec: { user: "nobody", roles: ["*"] },
    })) as Framework;
    await tasks.create(bed.ns, {
      apiVersion: "mesos.operator.dev/v1alpha1",
      kind: "Task",
      metadata: { name: "adopted" },
      spec: {
        frameworkName: "kubectl-fw",
        resources: { cpus: 0.5, mem: 64 },
        command: { value: "sleep 3600" },
      },
    });
    await waitFor(
      "the kubectl Task adopted",
      async () =>
        kubectlTasks().find((t) => t.metadata.name === "adopted")?.metadata.ownerReferences?.length === 1,
      { timeoutMs: 30_000, describe: async () => bed.operator.process.output().slice(-3000) },
    );
    expect(kubectlTasks().find((t) => t.metadata.name === "adopted")?.metadata.ownerReferences).toEqual([
      ownerOf(fw),
    ]);

    await frameworks.delete(bed.ns, "kubectl-fw");
    await waitFor(
      "the kubectl Framework and its Task gone (teardown, then garbage collection)",
      async () =>
        !(await listFrameworks()).some((f) => f.metadata.name === "kubectl-fw") &&
        !(await listTasks()).some((t) => t.metadata.name === "adopted"),
      { timeoutMs: 60_000, describe: async () => bed.operator.process.output().slice(-3000) },
    );
  });
});
