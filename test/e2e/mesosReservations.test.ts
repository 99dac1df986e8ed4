// Dynamic reservations through the Mesos door against the operator process (issue #6): the
// operator calls RESERVE_RESOURCES / UNRESERVE_RESOURCES (scenario S-70), a scheduler's ACCEPT
// with RESERVE + LAUNCH and later UNRESERVE, and the reservations persisting on the Node across a
// restart of the operator. Agents are the scenario default cpus:2;mem:1024;disk:1024.
import { afterEach, describe, expect, it } from "vitest";
import type { StreamedEvent } from "../../controllers/mesos-api/testing/eventStreamClient.ts";
import { type MesosOffer, type SchedulerSession, scalars } from "./support/mesosScheduler.ts";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { waitFor } from "./support/wait.ts";

const bed = mesosTestBed({ name: "reserve", flags: ["--allocation-interval-ms", "1000"] });
const { c, ns } = bed;
const ANNOTATION = "mesos.operator.dev/dynamic-reservations";

const operatorCall = (body: object) => bed.operatorCall(body);

const agent = (suffix: string): Promise<string> => bed.addAgent(suffix);

async function subscribe(info: Record<string, unknown>): Promise<SchedulerSession> {
  return (await bed.subscribe(info)).acknowledgeUpdates();
}

/** `cpus:<cpus>;mem:<mem>` dynamically reserved to `role` by `principal`, as Mesos v1 Resources. */
function reserved(cpus: number, mem: number, role: string, principal: string, allocated = false) {
  const reservations = [{ type: "DYNAMIC", role, principal }];
  const allocation = allocated ? { allocation_info: { role } } : {};
  return [
    { name: "cpus", type: "SCALAR", scalar: { value: cpus }, reservations, ...allocation },
    { name: "mem", type: "SCALAR", scalar: { value: mem }, reservations, ...allocation },
  ];
}

/** Scalar totals of an offer's reserved resources, by name. */
function reservedScalars(offer: MesosOffer): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of offer.resources)
    if (r.scalar !== undefined && (r.reservations?.length ?? 0) > 0)
      out[r.name] = (out[r.name] ?? 0) + r.scalar.value;
  return out;
}

async function nodeAnnotation(name: string): Promise<string | undefined> {
  return (await c.core.readNode({ name })).metadata?.annotations?.[ANNOTATION];
}

/** The first event from `from` on that `match` accepts. */
const eventAfter = (
  s: SchedulerSession,
  from: number,
  match: (e: StreamedEvent) => boolean,
  timeoutMs = 20_000,
) => s.stream.waitFor(match, { from, timeoutMs });

const rescindOf = (offer: MesosOffer) => (e: StreamedEvent) =>
  e.type === "RESCIND" && (e.rescind as { offer_id: { value: string } }).offer_id.value === offer.id.value;

const operationStatus = (id: string) => (e: StreamedEvent) =>
  e.type === "UPDATE_OPERATION_STATUS" &&
  (e.update_operation_status as { status: { operation_id?: { value: string } } }).status.operation_id
    ?.value === id;

const statusOf = (e: StreamedEvent) =>
  (e.update_operation_status as { status: { state: string; message?: string; agent_id?: { value: string } } })
    .status;

/** What a failed wait reports: the offers seen, each framework's outstanding offers, the pods' held resources. */
async function offerReport(s: SchedulerSession, from: number): Promise<string> {
  const frameworks = (await (await fetch(`${bed.base}/master/frameworks`)).json()) as {
    frameworks: { offers: unknown }[];
  };
  const pods = (await c.core.listNamespacedPod({ namespace: ns })).items.map((p) => [
    p.metadata?.name,
    p.status?.phase,
    p.metadata?.annotations?.["mesos.operator.dev/resources"],
  ]);
  const log = bed.operator.process
    .output()
    .split("\n")
    .filter((l) => /ACCEPT|OFFERS|UPDATE"/.test(l))
    .slice(-20);
  return [
    `offers seen: ${JSON.stringify(s.offersSince(from).map((o) => o.resources))}`,
    `outstanding: ${JSON.stringify(frameworks.frameworks.map((f) => f.offers))}`,
    `pods: ${JSON.stringify(pods)}`,
    ...log,
  ].join("\n");
}

/** The first offer from event index `from` on that `match` accepts. */
const offerWhere = (s: SchedulerSession, from: number, what: string, match: (o: MesosOffer) => boolean) =>
  waitFor(what, async () => s.offersSince(from).find(match), {
    timeoutMs: 60_000,
    describe: () => offerReport(s, from),
  });

const holdingReserved = (s: SchedulerSession, from: number, want: Record<string, number>) =>
  offerWhere(
    s,
    from,
    `an offer holding the reservation ${JSON.stringify(want)}`,
    (o) => JSON.stringify(reservedScalars(o)) === JSON.stringify(want),
  );

const wholeUnreserved = (s: SchedulerSession, from: number) =>
  offerWhere(
    s,
    from,
    "an offer of the whole agent, unreserved",
    (o) => scalars(o).cpus === 2 && Object.keys(reservedScalars(o)).length === 0,
  );

// Each test has its own agents and frameworks.
afterEach(async () => {
  await bed.teardownSessions();
  await bed.removeAgents();
});

describe("dynamic reservations through the operator API", () => {
  it("S-70: RESERVE_RESOURCES answers 202, rescinds the framework's offer, and after REVIVE the offer holds the dynamic reservation", async () => {
    const node = await agent("s70");
    const fw = await subscribe({ roles: ["role"], principal: "P" });
    const offer = await fw.nextOffer();
    const mark = fw.stream.events.length;
    const res = await operatorCall({
      type: "RESERVE_RESOURCES",
      reserve_resources: { agent_id: offer.agent_id, resources: reserved(1, 512, "role", "P") },
    });
    expect(res.status, res.text).toBe(202);
    await eventAfter(fw, mark, rescindOf(offer));
    expect((await fw.call({ type: "REVIVE" })).status).toBe(202);
    const again = await holdingReserved(fw, mark, { cpus: 1, mem: 512 });
    expect(scalars(again)).toMatchObject({ cpus: 2, mem: 1024 });
    const cpus = again.resources.find((r) => r.name === "cpus" && (r.reservations?.length ?? 0) > 0);
    expect(cpus?.reservations?.[0]).toMatchObject({ type: "DYNAMIC", role: "role", principal: "P" });

    // Recorded on the Node, and shown per role by the agent views.
    expect(JSON.parse((await nodeAnnotation(node)) ?? "[]")).toHaveLength(2);
    const slaves = (await (await fetch(`${bed.base}/master/slaves`)).json()) as {
      slaves: { id: string; reserved_resources: Record<string, { cpus: number; mem: number }> }[];
    };
    const listed = slaves.slaves.find((s) => s.id === offer.agent_id.value);
    expect(listed?.reserved_resources.role).toMatchObject({ cpus: 1, mem: 512 });
    // GET_AGENTS shows the total in the master's ENDPOINT format: the stack and the old fields.
    const agents = (await operatorCall({ type: "GET_AGENTS" })).json as {
      get_agents: {
        agents: {
          agent_info: { id: { value: string } };
          total_resources: { name: string; role?: string; reservation?: object; reservations?: object[] }[];
        }[];
      };
    };
    const total = agents.get_agents.agents.find(
      (a) => a.agent_info.id.value === offer.agent_id.value,
    )?.total_resources;
    expect(total?.filter((r) => r.name === "cpus")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: "*" }),
        expect.objectContaining({
          role: "role",
          reservation: { principal: "P" },
          reservations: [{ type: "DYNAMIC", role: "role", principal: "P" }],
        }),
      ]),
    );
    const roles = (await operatorCall({ type: "GET_ROLES" })).json as {
      get_roles: { roles: { name: string; reserved?: { name: string; scalar?: { value: number } }[] }[] };
    };
    const listedRole = roles.get_roles.roles.find((r) => r.name === "role");
    expect(listedRole?.reserved?.map((r) => [r.name, r.scalar?.value])).toEqual([
      ["cpus", 1],
      ["mem", 512],
    ]);
  });

  it("answers 400 for resources that are not dynamically reserved, 400 for an unknown agent, and 409 for more than the agent has", async () => {
    await agent("bad");
    const fw = await subscribe({ roles: ["role"] });
    const offer = await fw.nextOffer();
    const unreserved = await operatorCall({
      type: "RESERVE_RESOURCES",
      reserve_resources: {
        agent_id: offer.agent_id,
        resources: [{ name: "cpus", type: "SCALAR", scalar: { value: 1 } }],
      },
    });
    expect(unreserved.status).toBe(400);
    expect(unreserved.text).toMatch(
      /^Invalid RESERVE operation on agent .*: Resource cpus:1 is not dynamically reserved$/,
    );
    const unknown = await operatorCall({
      type: "RESERVE_RESOURCES",
      reserve_resources: { agent_id: { value: "nope-S0" }, resources: reserved(1, 512, "role", "P") },
    });
    expect([unknown.status, unknown.text]).toEqual([400, "No agent found with specified ID"]);
    const tooMuch = await operatorCall({
      type: "RESERVE_RESOURCES",
      reserve_resources: { agent_id: offer.agent_id, resources: reserved(3, 512, "role", "P") },
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.text).toMatch(/^Invalid RESERVE Operation: .* does not contain cpus:3; mem:512$/);
  });

  it("RESERVE_RESOURCES with a source moves a reservation to another role (reservation update); the framework of that role is offered it", async () => {
    const node = await agent("update");
    const fw = await subscribe({ roles: ["role"], principal: "P" });
    const offer = await fw.nextOffer();
    const toOther = await operatorCall({
      type: "RESERVE_RESOURCES",
      reserve_resources: { agent_id: offer.agent_id, resources: reserved(1, 512, "other", "P") },
    });
    expect(toOther.status, toOther.text).toBe(202);
    const mismatch = await operatorCall({
      type: "RESERVE_RESOURCES",
      reserve_resources: {
        agent_id: offer.agent_id,
        source: reserved(1, 512, "other", "P"),
        resources: reserved(1, 256, "role", "P"),
      },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toMatch(
      /^Invalid RESERVE operation on agent .*: Source and target resources should refer to identical resource quantities: cpus:1; mem:512 vs\. cpus:1; mem:256$/,
    );
    const mark = fw.stream.events.length;
    const update = await operatorCall({
      type: "RESERVE_RESOURCES",
      reserve_resources: {
        agent_id: offer.agent_id,
        source: reserved(1, 512, "other", "P"),
        resources: reserved(1, 512, "role", "P"),
      },
    });
    expect(update.status, update.text).toBe(202);
    expect((await fw.call({ type: "REVIVE" })).status).toBe(202);
    const held = await holdingReserved(fw, mark, { cpus: 1, mem: 512 });
    const cpus = held.resources.find((r) => r.name === "cpus" && (r.reservations?.length ?? 0) > 0);
    expect(cpus?.reservations).toEqual([{ type: "DYNAMIC", role: "role", principal: "P" }]);
    const recorded = JSON.parse((await nodeAnnotation(node)) ?? "[]") as {
      reservations: { role: string }[];
    }[];
    expect(recorded.map((r) => r.reservations.map((x) => x.role))).toEqual([["role"], ["role"]]);
  });

  it("keeps reservations across an operator restart; UNRESERVE_RESOURCES gives them back unreserved", async () => {
    const node = await agent("restart");
    const fw = await subscribe({ roles: ["role"], principal: "P" });
    const offer = await fw.nextOffer();
    const res = await operatorCall({
      type: "RESERVE_RESOURCES",
      reserve_resources: { agent_id: offer.agent_id, resources: reserved(1, 512, "role", "P") },
    });
    expect(res.status, res.text).toBe(202);
    await bed.teardownSessions();

    // A new term rebuilds its allocator from the API server: the reservation comes back from the Node.
    await bed.restartOperator();
    const fw2 = await subscribe({ name: "after-restart", roles: ["role"], principal: "P" });
    const held = await holdingReserved(fw2, 0, { cpus: 1, mem: 512 });
    expect(scalars(held)).toMatchObject({ cpus: 2, mem: 1024 });

    const mark = fw2.stream.events.length;
    const un = await operatorCall({
      type: "UNRESERVE_RESOURCES",
      unreserve_resources: { agent_id: offer.agent_id, resources: reserved(1, 512, "role", "P") },
    });
    expect(un.status, un.text).toBe(202);
    await eventAfter(fw2, mark, rescindOf(held));
    expect((await fw2.call({ type: "REVIVE" })).status).toBe(202);
    const free = await wholeUnreserved(fw2, mark);
    expect(scalars(free)).toMatchObject({ cpus: 2, mem: 1024 });
    expect(await nodeAnnotation(node)).toBeUndefined();
  }, 120_000);
});

describe("RESERVE and UNRESERVE in a scheduler's ACCEPT", () => {
  it("RESERVE then LAUNCH of the reserved resources in one ACCEPT; after the task, UNRESERVE returns them unreserved", async () => {
    const node = await agent("accept");
    const fw = await subscribe({ roles: ["role"], principal: "P" });
    const offer = await fw.nextOffer();
    let mark = fw.stream.events.length;
    const accept = await fw.call({
      type: "ACCEPT",
      accept: {
        offer_ids: [offer.id],
        operations: [
          {
            type: "RESERVE",
            id: { value: "reserve-1" },
            reserve: { resources: reserved(1, 512, "role", "P", true) },
          },
          {
            type: "LAUNCH",
            launch: {
              task_infos: [
                {
                  name: "on-reserved",
                  task_id: { value: "on-reserved" },
                  agent_id: offer.agent_id,
                  resources: reserved(1, 512, "role", "P", true),
                  command: { value: "sleep 3600" },
                },
              ],
            },
          },
        ],
      },
    });
    expect(accept.status).toBe(202);
    const finished = statusOf(await eventAfter(fw, mark, operationStatus("reserve-1")));
    expect(finished).toMatchObject({ state: "OPERATION_FINISHED", agent_id: offer.agent_id });
    await fw.update("on-reserved", "TASK_RUNNING");
    expect(JSON.parse((await nodeAnnotation(node)) ?? "[]")).toHaveLength(2);
    // The task's pod holds the reserved resources (what the allocator accounts it for).
    const pods = (await c.core.listNamespacedPod({ namespace: ns })).items;
    const held = JSON.parse(pods[0]?.metadata?.annotations?.["mesos.operator.dev/resources"] ?? "{}");
    expect(JSON.stringify(held)).toContain('"role":"role"');
    // GET_TASKS shows the task's resources as launched, reservation included (ENDPOINT format).
    const listedTasks = (await operatorCall({ type: "GET_TASKS" })).json as {
      get_tasks: { tasks?: { task_id: { value: string }; resources: Record<string, unknown>[] }[] };
    };
    const onReserved = listedTasks.get_tasks.tasks?.find((t) => t.task_id.value === "on-reserved");
    expect(onReserved?.resources.find((r) => r.name === "cpus")).toMatchObject({
      scalar: { value: 1 },
      role: "role",
      reservation: { principal: "P" },
      reservations: [{ type: "DYNAMIC", role: "role", principal: "P" }],
      allocation_info: { role: "role" },
    });

    // While the task runs on the reservation, UNRESERVE has nothing offered to act on.
    mark = fw.stream.events.length;
    expect(
      (await fw.call({ type: "KILL", kill: { task_id: { value: "on-reserved" }, agent_id: offer.agent_id } }))
        .status,
    ).toBe(202);
    await fw.update("on-reserved", "TASK_KILLED");
    expect((await fw.call({ type: "REVIVE" })).status).toBe(202);
    const back = await holdingReserved(fw, mark, { cpus: 1, mem: 512 });

    mark = fw.stream.events.length;
    const unreserve = await fw.call({
      type: "ACCEPT",
      accept: {
        offer_ids: [back.id],
        operations: [
          {
            type: "UNRESERVE",
            id: { value: "unreserve-1" },
            unreserve: { resources: reserved(1, 512, "role", "P", true) },
          },
        ],
        filters: { refuse_seconds: 0 },
      },
    });
    expect(unreserve.status).toBe(202);
    expect(statusOf(await eventAfter(fw, mark, operationStatus("unreserve-1"))).state).toBe(
      "OPERATION_FINISHED",
    );
    // The unreserved cpus:1;mem:512 come back in an offer (with whatever else of the agent is free).
    const free = await offerWhere(
      fw,
      mark,
      "the unreserved resources offered again",
      (o) =>
        Object.keys(reservedScalars(o)).length === 0 &&
        (scalars(o).cpus ?? 0) >= 1 &&
        (scalars(o).mem ?? 0) >= 512,
    );
    expect(free.agent_id).toEqual(offer.agent_id);
    expect(await nodeAnnotation(node)).toBeUndefined();
    const slaves = (await (await fetch(`${bed.base}/master/slaves`)).json()) as {
      slaves: { id: string; reserved_resources: object; unreserved_resources: { cpus: number } }[];
    };
    const listed = slaves.slaves.find((s) => s.id === offer.agent_id.value);
    expect(listed?.reserved_resources).toEqual({});
    expect(listed?.unreserved_resources.cpus).toBe(2);
  }, 90_000);

  it("the OPERATION_FINISHED of a RESERVE with an id is re-sent until ACKNOWLEDGE_OPERATION_STATUS; RECONCILE_OPERATIONS and GET_OPERATIONS know it until then", async () => {
    await agent("feedback");
    const fw = await subscribe({ roles: ["role"], principal: "P" });
    const offer = await fw.nextOffer();
    let mark = fw.stream.events.length;
    const reserveCall = {
      type: "ACCEPT",
      accept: {
        offer_ids: [offer.id],
        operations: [
          {
            type: "RESERVE",
            id: { value: "reliable-1" },
            reserve: { resources: reserved(1, 512, "role", "P", true) },
          },
        ],
        filters: { refuse_seconds: 0 },
      },
    };
    expect((await fw.call(reserveCall)).status).toBe(202);
    const first = (await eventAfter(fw, mark, operationStatus("reliable-1"))).update_operation_status as {
      status: { state: string; uuid?: { value: string }; agent_id?: { value: string } };
    };
    expect(first.status.state).toBe("OPERATION_FINISHED");
    const uuid = first.status.uuid?.value ?? "";
    expect(Buffer.from(uuid, "base64")).toHaveLength(16);

    // Known to the master until acknowledged: GET_OPERATIONS lists it.
    const listed = (await operatorCall({ type: "GET_OPERATIONS" })).json as {
      get_operations: {
        operations?: { info: { id?: { value: string } }; latest_status: { state: string } }[];
      };
    };
    expect(
      listed.get_operations.operations?.find((o) => o.info.id?.value === "reliable-1")?.latest_status.state,
    ).toBe("OPERATION_FINISHED");

    // RECONCILE_OPERATIONS answers its latest status, unreliably (no uuid).
    mark = fw.stream.events.length;
    const reconcile = {
      type: "RECONCILE_OPERATIONS",
      reconcile_operations: {
        operations: [{ operation_id: { value: "reliable-1" }, agent_id: offer.agent_id }],
      },
    };
    expect((await fw.call(reconcile, { Accept: "application/json" })).status).toBe(202);
    const reconciled = statusOf(
      await eventAfter(
        fw,
        mark,
        (e) => operationStatus("reliable-1")(e) && !("uuid" in (statusOf(e) as object)),
      ),
    );
    expect(reconciled).toMatchObject({ state: "OPERATION_FINISHED", agent_id: offer.agent_id });

    // Not acknowledged: the same update comes again (after 10 s, the agent's first retry).
    const resent = statusOf(
      await eventAfter(
        fw,
        mark,
        (e) =>
          operationStatus("reliable-1")(e) &&
          (statusOf(e) as { uuid?: { value: string } }).uuid?.value === uuid,
        30_000,
      ),
    );
    expect(resent.state).toBe("OPERATION_FINISHED");

    expect(
      (
        await fw.call({
          type: "ACKNOWLEDGE_OPERATION_STATUS",
          acknowledge_operation_status: {
            operation_id: { value: "reliable-1" },
            agent_id: offer.agent_id,
            uuid,
          },
        })
      ).status,
    ).toBe(202);
    // Acknowledged terminal: the master forgets it.
    mark = fw.stream.events.length;
    expect((await fw.call(reconcile, { Accept: "application/json" })).status).toBe(202);
    expect(statusOf(await eventAfter(fw, mark, operationStatus("reliable-1")))).toMatchObject({
      state: "OPERATION_UNKNOWN",
      message: "Reconciliation: Operation is unknown",
    });
    const after = (await operatorCall({ type: "GET_OPERATIONS" })).json as {
      get_operations: { operations?: { info: { id?: { value: string } } }[] };
    };
    expect(after.get_operations.operations?.some((o) => o.info.id?.value === "reliable-1") ?? false).toBe(
      false,
    );
  }, 90_000);

  it("an invalid RESERVE with an id gets OPERATION_ERROR with the master's message, and reserves nothing", async () => {
    const node = await agent("invalid");
    const fw = await subscribe({ roles: ["role"], principal: "P" });
    const offer = await fw.nextOffer();
    const mark = fw.stream.events.length;
    const accept = await fw.call({
      type: "ACCEPT",
      accept: {
        offer_ids: [offer.id],
        operations: [
          {
            type: "RESERVE",
            id: { value: "wrong-principal" },
            reserve: { resources: reserved(1, 512, "role", "Q", true) },
          },
        ],
        filters: { refuse_seconds: 0 },
      },
    });
    expect(accept.status).toBe(202);
    const status = statusOf(await eventAfter(fw, mark, operationStatus("wrong-principal")));
    expect(status.state).toBe("OPERATION_ERROR");
    expect(status.message).toBe(
      `A reserve operation was attempted by authenticated principal 'P', which does not match a reserved resource in the request with principal 'Q'; on agent ${offer.agent_id.value} at slave(1)@${(offer as unknown as { url: { address: { ip: string } } }).url.address.ip}:5051 (${offer.hostname})`,
    );
    const again = await fw.nextOffer(mark);
    expect(reservedScalars(again)).toEqual({});
    expect(await nodeAnnotation(node)).toBeUndefined();
  });
});
