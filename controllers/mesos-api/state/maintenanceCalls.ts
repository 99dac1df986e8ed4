// The operator API's maintenance calls on the cluster (semantics.md §3.6): the schedule and
// machine modes in a ConfigMap (maintenanceStore.ts), carried onto the nodes they name
// (maintenanceNodes.ts), and the agent (de)activation calls as the node's cordon. Runs in the
// leader with the Mesos API; the nodes are brought in line again whenever one appears or changes,
// so a machine scheduled before its node existed is annotated when the node registers.

import type { AllocationAccess } from "../../allocation/allocationLoop.ts";
import { agentIdForNode, nodeToAgent } from "../../allocator/index.ts";
import type { Informers, Writers } from "../../cluster/index.ts";
import type { Node } from "../../cluster/nodeSchema.ts";
import type { Config } from "../../config.ts";
import type { Logger } from "../../logging.ts";
import type { CallOutcome, OperatorChange } from "../backend.ts";
import type { MaintenanceClusterStatus, MaintenanceSchedule } from "../messages/maintenance.ts";
import { type DrainCallOutcome, drainAgent, reactivateAgent } from "./drainCalls.ts";
import { machineAddressOf, maintenancePatchFor } from "./maintenanceNodes.ts";
import { machineMatches, startMaintenance, stopMaintenance, updateSchedule } from "./maintenanceSchedule.ts";
import { MaintenanceStore } from "./maintenanceStore.ts";

export type MaintenanceChange = Extract<
  OperatorChange,
  {
    type:
      | "UPDATE_MAINTENANCE_SCHEDULE"
      | "START_MAINTENANCE"
      | "STOP_MAINTENANCE"
      | "DEACTIVATE_AGENT"
      | "REACTIVATE_AGENT"
      | "DRAIN_AGENT";
  }
>;

const MAINTENANCE_TYPES = new Set<string>([
  "UPDATE_MAINTENANCE_SCHEDULE",
  "START_MAINTENANCE",
  "STOP_MAINTENANCE",
  "DEACTIVATE_AGENT",
  "REACTIVATE_AGENT",
  "DRAIN_AGENT",
]);

export const isMaintenanceChange = (change: OperatorChange): change is MaintenanceChange =>
  MAINTENANCE_TYPES.has(change.type);

/** The ConfigMap holding the schedule: named after the leader Lease, so each release has its own. */
export const maintenanceConfigMapName = (leaseName: string): string => `${leaseName}-maintenance`;

export interface MaintenanceCallsOptions {
  config: Config;
  informers: Pick<Informers, "nodes">;
  writers: Pick<Writers, "nodes" | "configMaps">;
  access: Pick<AllocationAccess, "inverseOfferStatuses">;
  log: Logger;
}

const RELOAD_MS = 10_000;

export class MaintenanceCalls {
  private readonly store: MaintenanceStore;
  private loaded = false;
  private firstLoad: Promise<void> = Promise.resolve();
  private off: (() => void) | undefined;
  private retry: NodeJS.Timeout | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: MaintenanceCallsOptions) {
    this.store = new MaintenanceStore(
      opts.writers.configMaps,
      opts.config.leaseNamespace,
      maintenanceConfigMapName(opts.config.leaseName),
    );
    this.log = opts.log.child({ component: "maintenance" });
  }

  /** Reads the schedule (retrying until it can) and keeps the nodes in line with it. */
  start(): void {
    this.off = this.opts.informers.nodes.addHandlers({
      onAdd: (n) => this.syncNode(n),
      onUpdate: (_o, n) => this.syncNode(n),
    });
    this.firstLoad = this.load();
  }

  /**
   * Resolves once the schedule was read at start (or the read failed, logged and retried in the
   * background), so the first GET after a restart does not answer an empty schedule.
   */
  async ready(): Promise<void> {
    await this.firstLoad;
  }

  stop(): void {
    this.off?.();
    this.off = undefined;
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.retry = undefined;
  }

  private async load(): Promise<void> {
    try {
      await this.store.read();
      this.loaded = true;
      this.syncAllNodes();
    } catch (err) {
      this.log.error({ err }, "cannot read the maintenance schedule; trying again");
      this.retry = setTimeout(() => void this.load(), RELOAD_MS);
    }
  }

  private nodes(): Node[] {
    return this.opts.informers.nodes.cache.list() as Node[];
  }

  private syncAllNodes(): void {
    for (const n of this.nodes()) this.syncNode(n);
  }

  private syncNode(node: Node): void {
    if (!this.loaded) return;
    const patch = maintenancePatchFor(this.store.cached, node);
    if (patch === undefined) return;
    const name = node.metadata.name ?? "";
    this.opts.writers.nodes
      .patch(name, patch)
      .then(() => this.log.info({ node: name, ...patch }, "node maintenance updated"))
      .catch((err: unknown) => this.log.warn({ err, node: name }, "could not update the node's maintenance"));
  }

  /** Brings every node in line now, waiting for the writes (the call's answer follows them). */
  private async applyToNodes(): Promise<void> {
    this.loaded = true;
    await Promise.all(
      this.nodes().map(async (node) => {
        const patch = maintenancePatchFor(this.store.cached, node);
        if (patch !== undefined) await this.opts.writers.nodes.patch(node.metadata.name ?? "", patch);
      }),
    );
  }

  schedule(): MaintenanceSchedule {
    return this.store.cached.schedule;
  }

  /** GET_MAINTENANCE_STATUS: draining machines with the answers of their agents' frameworks. */
  status(): MaintenanceClusterStatus {
    const statuses = this.opts.access.inverseOfferStatuses();
    const agentsByNode = this.nodes().map((n) => ({
      address: machineAddressOf(n),
      agentId: agentIdForNode(n),
    }));
    const state = this.store.cached;
    return {
      draining_machines: state.machines
        .filter((m) => m.mode === "DRAINING")
        .map((m) => ({
          id: m.id,
          statuses: agentsByNode
            .filter((a) => machineMatches(m.id, a.address))
            .flatMap((a) => statuses.get(a.agentId) ?? [])
            .map((s) => ({
              status: s.status,
              framework_id: { value: s.frameworkId },
              timestamp: { nanoseconds: s.timestamp * 1e6 },
            })),
        })),
      down_machines: state.machines.filter((m) => m.mode === "DOWN").map((m) => m.id),
    };
  }

  async change(change: MaintenanceChange): Promise<CallOutcome> {
    switch (change.type) {
      case "UPDATE_MAINTENANCE_SCHEDULE":
        return this.transition((s) => updateSchedule(s, change.schedule));
      case "START_MAINTENANCE":
        return this.transition((s) => startMaintenance(s, change.machines));
      case "STOP_MAINTENANCE":
        return this.transition((s) => stopMaintenance(s, change.machines));
      case "DEACTIVATE_AGENT":
      case "REACTIVATE_AGENT":
        return this.setDeactivated(change.agentId, change.type === "DEACTIVATE_AGENT");
      case "DRAIN_AGENT": {
        await this.ready();
        return this.writeDrainOutcome(
          change.agentId,
          drainAgent({
            agentId: change.agentId,
            node: this.agentNode(change.agentId),
            schedule: this.store.cached.schedule,
            maxGracePeriodSeconds: change.maxGracePeriodSeconds,
            markGone: change.markGone,
            now: new Date(),
          }),
          "agent draining",
        );
      }
    }
  }

  /** The node that is this agent (selected, not gone, not DOWN), if any. */
  private agentNode(agentId: string): Node | undefined {
    const { config } = this.opts;
    return this.nodes().find(
      (n) =>
        agentIdForNode(n) === agentId &&
        nodeToAgent(n, {
          agentSelector: config.agentSelector.selector,
          portRanges: config.agentPortRanges,
        }) !== undefined,
    );
  }

  private async writeDrainOutcome(
    agentId: string,
    outcome: DrainCallOutcome,
    what: string,
  ): Promise<CallOutcome> {
    if (!outcome.ok) return outcome;
    if (outcome.patch !== undefined) {
      const name = this.agentNode(agentId)?.metadata.name ?? "";
      await this.opts.writers.nodes.patch(name, outcome.patch);
      this.log.info({ agentId, node: name, ...outcome.patch }, what);
    }
    return { ok: true };
  }

  private async transition(fn: Parameters<MaintenanceStore["change"]>[0]): Promise<CallOutcome> {
    const outcome = await this.store.change(fn);
    if (!outcome.ok) return { ok: false, status: 400, message: outcome.message };
    await this.applyToNodes();
    return { ok: true };
  }

  /**
   * DEACTIVATE_AGENT / REACTIVATE_AGENT as the node's cordon: a cordoned node's agent is
   * deactivated (no offers, outstanding ones rescinded, tasks keep running), as Mesos does.
   */
  private async setDeactivated(agentId: string, deactivate: boolean): Promise<CallOutcome> {
    const node = this.agentNode(agentId);
    // Reactivating also ends a finished drain (and refuses one in progress).
    if (!deactivate) return this.writeDrainOutcome(agentId, reactivateAgent(node), "agent reactivated");
    const cordoned = node?.spec?.unschedulable === true;
    if (node === undefined) return { ok: false, status: 400, message: "Unknown agent" };
    if (cordoned !== deactivate) {
      await this.opts.writers.nodes.patch(node.metadata.name ?? "", { unschedulable: deactivate });
      this.log.info(
        { agentId, node: node.metadata.name },
        deactivate ? "agent deactivated" : "agent reactivated",
      );
    }
    return { ok: true };
  }
}
