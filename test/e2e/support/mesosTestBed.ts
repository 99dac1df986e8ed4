// The set-up and tear-down every Mesos-door e2e file needs, in one place: a namespace of its own,
// fake agents labelled for it, an operator process serving the Mesos API that takes only those
// agents, and at the end every scheduler session torn down, every Framework of the file deleted
// while the operator still runs (it kills their tasks; the operator is cluster-wide, so a framework
// left behind would take the next file's offers), the operator stopped, the namespaces and agents
// removed. `mesosTestBed()` registers the beforeAll/afterAll hooks; call it at the top of a file.
import { afterAll, beforeAll } from "vitest";
import { ensureCrds } from "./crds.ts";
import { type FakeNodeOptions, removeNode } from "./fakeNodes.ts";
import { type KubeClients, kubeClients } from "./kube.ts";
import { type MesosOperator, operatorApiCall, startMesosOperator, waitForMesosApi } from "./mesosOperator.ts";
import { addAgent, SchedulerSession } from "./mesosScheduler.ts";
import { deleteFrameworks, startOperatorProcess } from "./operator.ts";

export interface MesosTestBedOptions {
  /** Names the namespace `<name>-<run>`, which also names the operator's identity and the agents. */
  name: string;
  /** Operator flags beyond the defaults (`startOperatorProcess`), e.g. a longer allocation interval. */
  flags?: string[] | (() => string[]);
  /** Agents added before the operator starts: node name suffix → options (default: the Mesos test agent). */
  agents?: Record<string, FakeNodeOptions>;
  /** Namespaces made and cleaned besides the bed's own (frameworks mapped elsewhere): suffixes. */
  extraNamespaces?: string[];
  /** Runs after the namespaces exist and before the operator starts (files, Secrets, client builds). */
  beforeStart?: () => Promise<void> | void;
  /** Runs first in tear-down, while the operator still serves (its own streams and clients). */
  beforeTearDown?: () => Promise<void> | void;
  /** For the beforeAll hook (a slow client build). */
  setUpTimeoutMs?: number;
}

export class MesosTestBed {
  readonly c: KubeClients = kubeClients();
  readonly run = Date.now().toString(36);
  /** The bed's namespace: the operator's Lease and, by default, its frameworks' objects. */
  readonly ns: string;
  /** The label selector of the bed's agents (`--agent-selector`). */
  readonly agentLabel: string;
  private mesos: MesosOperator | undefined;
  private readonly agents = new Set<string>();
  private sessions: SchedulerSession[] = [];
  private readonly closers: { close(): void }[] = [];

  constructor(readonly options: MesosTestBedOptions) {
    this.ns = `${options.name}-${this.run}`;
    this.agentLabel = `e2e.mesos.operator.dev/agents=${this.ns}`;
  }

  /** The running operator (its process, port and base URL). */
  get operator(): MesosOperator {
    if (this.mesos === undefined) throw new Error("the test bed's operator has not started");
    return this.mesos;
  }

  /** http://127.0.0.1:<port> of the operator's Mesos API. */
  get base(): string {
    return this.operator.base;
  }

  /** A namespace made for this bed besides its own (`extraNamespaces`). */
  namespace(suffix: string): string {
    return `${this.ns}-${suffix}`;
  }

  /** Adds an agent `<ns>-<suffix>` (removed at tear-down or by `removeAgents`); its node name. */
  async addAgent(suffix: string, opts: FakeNodeOptions = {}): Promise<string> {
    const name = `${this.ns}-${suffix}`;
    this.agents.add(name);
    await addAgent(this.c, name, this.agentLabel, opts);
    return name;
  }

  /** Removes the agents added so far (between tests that each want their own). */
  async removeAgents(): Promise<void> {
    for (const name of [...this.agents]) {
      await removeNode(this.c, name);
      this.agents.delete(name);
    }
  }

  /** SUBSCRIBEs a scheduler (torn down at tear-down or by `teardownSessions`). */
  async subscribe(
    info: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<SchedulerSession> {
    const s = await SchedulerSession.subscribe(this.base, info, headers);
    this.sessions.push(s);
    return s;
  }

  /** The sessions subscribed and not torn down yet, oldest first. */
  get subscribed(): readonly SchedulerSession[] {
    return this.sessions;
  }

  /** TEARDOWN of every session subscribed so far (a failed test's framework keeps its offers). */
  async teardownSessions(): Promise<void> {
    for (const s of this.sessions.splice(0)) await s.teardown();
  }

  /** Closed at tear-down (streams and clients the file opens itself). */
  closeLater<T extends { close(): void }>(closer: T): T {
    this.closers.push(closer);
    return closer;
  }

  /** POST an operator API call (JSON) to the operator. */
  operatorCall(body: object): ReturnType<typeof operatorApiCall> {
    return operatorApiCall(this.base, body);
  }

  /**
   * Stops the operator and starts another on the same port (a master failover); resolves when it
   * serves. `crash`: SIGKILL, so nothing is cleaned up on the way out.
   */
  async restartOperator(opts: { crash?: boolean } = {}): Promise<void> {
    const { port, base, process } = this.operator;
    if (opts.crash) process.child.kill("SIGKILL");
    await process.stop();
    const next = startOperatorProcess(this.ns, this.ns, this.agentLabel, [
      "--mesos-api-port",
      String(port),
      ...this.flags(),
    ]);
    this.mesos = { process: next, port, base };
    await waitForMesosApi(base, next);
  }

  private flags(): string[] {
    const f = this.options.flags;
    return typeof f === "function" ? f() : (f ?? []);
  }

  private namespaces(): string[] {
    return [this.ns, ...(this.options.extraNamespaces ?? []).map((s) => this.namespace(s))];
  }

  async setUp(): Promise<void> {
    ensureCrds();
    for (const name of this.namespaces()) await this.c.core.createNamespace({ body: { metadata: { name } } });
    for (const [suffix, opts] of Object.entries(this.options.agents ?? {})) await this.addAgent(suffix, opts);
    await this.options.beforeStart?.();
    this.mesos = await startMesosOperator(this.ns, this.ns, this.agentLabel, this.flags());
  }

  async tearDown(): Promise<void> {
    await this.options.beforeTearDown?.();
    for (const s of this.closers.splice(0)) s.close();
    if (this.mesos !== undefined) await this.teardownSessions();
    for (const name of this.namespaces()) await deleteFrameworks(this.c, name);
    await this.mesos?.process.stop();
    for (const name of this.namespaces()) await this.c.core.deleteNamespace({ name }).catch(() => undefined);
    await this.removeAgents();
  }
}

/** A test bed for this file: set up before its tests, torn down after them. */
export function mesosTestBed(options: MesosTestBedOptions): MesosTestBed {
  const bed = new MesosTestBed(options);
  beforeAll(() => bed.setUp(), options.setUpTimeoutMs);
  afterAll(() => bed.tearDown());
  return bed;
}
