// A scheduler's side of the Mesos v1 HTTP API for the scenario tests (scenarios.md §6): the
// scenario default framework ("FW") and agent, SUBSCRIBE streams, calls with the stream id, and
// the few calls the scenarios repeat (ACCEPT with a LAUNCH, DECLINE, TEARDOWN).
import {
  EventStreamClient,
  type StreamedEvent,
} from "../../../controllers/mesos-api/testing/eventStreamClient.ts";
import { addFakeNode, type FakeNodeOptions } from "./fakeNodes.ts";
import type { KubeClients } from "./kube.ts";

/** The Mesos test default agent `cpus:2;mem:1024;disk:1024;ports:[31000-32000]` as a fake node. */
export const DEFAULT_AGENT: FakeNodeOptions = { cpu: "2", memory: "1024Mi", disk: "1024Mi" };

export async function addAgent(
  c: KubeClients,
  name: string,
  agentLabel: string,
  opts: FakeNodeOptions = {},
): Promise<void> {
  const [key, value] = agentLabel.split("=");
  await addFakeNode(c, name, {
    ...DEFAULT_AGENT,
    ...opts,
    labels: { [key ?? ""]: value ?? "", ...opts.labels },
  });
}

export interface MesosOffer {
  id: { value: string };
  agent_id: { value: string };
  hostname: string;
  allocation_info?: { role: string };
  resources: {
    name: string;
    type: string;
    scalar?: { value: number };
    reservations?: { role: string; type: string }[];
  }[];
}

/** Scalar totals of an offer, by resource name. */
export function scalars(offer: MesosOffer): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of offer.resources) if (r.scalar) out[r.name] = (out[r.name] ?? 0) + r.scalar.value;
  return out;
}

/** One subscribed framework: its stream, id, and calls sent with its stream id. */
export class SchedulerSession {
  private readonly acked = new Set<string>();
  private acking: NodeJS.Timeout | undefined;

  private constructor(
    readonly base: string,
    readonly stream: EventStreamClient,
    readonly frameworkId: string,
    /** Sent with every call, e.g. the Authorization of an authenticated framework. */
    readonly headers: Record<string, string> = {},
  ) {}

  /** SUBSCRIBE the scenario default FW (overridable) and wait for SUBSCRIBED. */
  static async subscribe(
    base: string,
    info: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<SchedulerSession> {
    const stream = await EventStreamClient.open(
      base,
      {
        type: "SUBSCRIBE",
        // A re-subscription names its framework twice (Mesos checks that they agree).
        ...(info.id === undefined ? {} : { framework_id: info.id }),
        subscribe: {
          framework_info: {
            user: "u",
            name: "default",
            roles: ["*"],
            capabilities: [{ type: "MULTI_ROLE" }, { type: "RESERVATION_REFINEMENT" }],
            ...info,
          },
        },
      },
      { headers },
    );
    if (stream.status !== 200) throw new Error(`SUBSCRIBE answered ${stream.status}: ${stream.body}`);
    const subscribed = await stream.waitFor("SUBSCRIBED", { timeoutMs: 20_000 });
    const id = (subscribed.subscribed as { framework_id: { value: string } }).framework_id.value;
    return new SchedulerSession(base, stream, id, headers);
  }

  get streamId(): string {
    return this.stream.streamId ?? "";
  }

  /** POST a call (framework_id filled in) with this stream's id; the status and body. */
  async call(
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> {
    const res = await fetch(`${this.base}/api/v1/scheduler`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Mesos-Stream-Id": this.streamId,
        ...this.headers,
        ...headers,
      },
      body: JSON.stringify({ framework_id: { value: this.frameworkId }, ...body }),
    });
    return { status: res.status, body: await res.text() };
  }

  /** Offers received from event index `from` on, in order. */
  offersSince(from: number): MesosOffer[] {
    return this.stream.events
      .slice(from)
      .filter((e) => e.type === "OFFERS")
      .flatMap((e) => (e.offers as { offers: MesosOffer[] }).offers);
  }

  /** The next OFFERS event from index `from` on (default: any so far), its first offer. */
  async nextOffer(from = 0, timeoutMs = 20_000): Promise<MesosOffer> {
    const e = await this.stream.waitFor("OFFERS", { from, timeoutMs });
    const offer = (e.offers as { offers: MesosOffer[] }).offers[0];
    if (offer === undefined) throw new Error("OFFERS event without offers");
    return offer;
  }

  async decline(offerIds: { value: string }[], refuseSeconds?: number): Promise<number> {
    const filters = refuseSeconds === undefined ? {} : { filters: { refuse_seconds: refuseSeconds } };
    return (await this.call({ type: "DECLINE", decline: { offer_ids: offerIds, ...filters } })).status;
  }

  /** ACCEPT `offers` with one LAUNCH of `tasks` (TaskInfos; agent_id defaults to the first offer's). */
  async launch(
    offers: MesosOffer[],
    tasks: { id: string; cpus: number; mem: number; labels?: Record<string, string> }[],
    refuseSeconds?: number,
  ): Promise<number> {
    const task_infos = tasks.map((t) => ({
      name: t.id,
      task_id: { value: t.id },
      agent_id: offers[0]?.agent_id,
      resources: [
        { name: "cpus", type: "SCALAR", scalar: { value: t.cpus } },
        { name: "mem", type: "SCALAR", scalar: { value: t.mem } },
      ],
      command: { value: "sleep 3600" },
      ...(t.labels === undefined
        ? {}
        : { labels: { labels: Object.entries(t.labels).map(([key, value]) => ({ key, value })) } }),
    }));
    return (
      await this.call({
        type: "ACCEPT",
        accept: {
          offer_ids: offers.map((o) => o.id),
          operations: [{ type: "LAUNCH", launch: { task_infos } }],
          ...(refuseSeconds === undefined ? {} : { filters: { refuse_seconds: refuseSeconds } }),
        },
      })
    ).status;
  }

  /** The first UPDATE for `taskId` in `state` (from event index `from`). */
  async update(taskId: string, state: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const e = await this.stream.waitFor(
      (ev: StreamedEvent) => {
        if (ev.type !== "UPDATE") return false;
        const st = (ev.update as { status: { task_id: { value: string }; state: string } }).status;
        return st.task_id.value === taskId && st.state === state;
      },
      { timeoutMs },
    );
    return (e.update as { status: Record<string, unknown> }).status;
  }

  /**
   * Acknowledge every reliable UPDATE as it arrives (the master sends a task's next update only
   * after the previous one is acknowledged), as a real scheduler does.
   */
  acknowledgeUpdates(): this {
    this.acking = setInterval(() => {
      for (const e of this.stream.events) {
        if (e.type !== "UPDATE") continue;
        const st = (e.update as { status: { uuid?: string; agent_id: unknown; task_id: unknown } }).status;
        if (st.uuid === undefined || this.acked.has(st.uuid)) continue;
        this.acked.add(st.uuid);
        void this.call({
          type: "ACKNOWLEDGE",
          acknowledge: { agent_id: st.agent_id, task_id: st.task_id, uuid: st.uuid },
        }).catch(() => undefined);
      }
    }, 100);
    return this;
  }

  /** TEARDOWN (frees its offers and tasks) and close the stream. */
  async teardown(): Promise<void> {
    clearInterval(this.acking);
    await this.call({ type: "TEARDOWN" }).catch(() => undefined);
    this.stream.close();
  }
}
