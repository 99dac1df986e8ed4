// Dynamic reservations through the Mesos door: the operator calls RESERVE_RESOURCES /
// UNRESERVE_RESOURCES, and the persistence every reservation change (operator or ACCEPT) ends
// with. The leader's allocator changes first (it rescinds offers on the agent as the master does);
// then the agent's whole set of dynamic reservations is written to its Node
// (controllers/allocation/dynamicReservations.ts); only then does the caller hear of success. A
// write that fails undoes the change in memory, so memory and the API server never disagree for
// long and a restart finds exactly what was acknowledged.

import type { AllocationAccess } from "../../allocation/allocationLoop.ts";
import {
  DYNAMIC_RESERVATIONS_ANNOTATION,
  encodeDynamicReservations,
} from "../../allocation/dynamicReservations.ts";
import { agentIdForNode, describeResources, type Resources } from "../../allocator/index.ts";
import type { Node } from "../../cluster/nodeSchema.ts";
import type { Logger } from "../../logging.ts";
import type { CallOutcome, OperatorChange } from "../backend.ts";
import {
  reservationResources,
  reservationUpdateError,
  reserveError,
  unreserveError,
} from "../messages/reservationValidation.ts";

export interface ReservationChangesOptions {
  access: AllocationAccess;
  nodes: () => readonly Node[];
  annotate(nodeName: string, annotations: Record<string, string | null>): Promise<void>;
  log: Logger;
}

type ReservationChange = Extract<OperatorChange, { type: "RESERVE_RESOURCES" | "UNRESERVE_RESOURCES" }>;

export class ReservationChanges {
  /** The write in flight per node: writes of one node go one after the other, each of the latest set. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly opts: ReservationChangesOptions) {}

  private nodeOf(agentId: string): Node | undefined {
    return this.opts.nodes().find((n) => agentIdForNode(n) === agentId);
  }

  /** RESERVE_RESOURCES / UNRESERVE_RESOURCES with the answers of the master (http.cpp _reserve, _unreserve, _operation). */
  async operatorChange(change: ReservationChange, principal: string | undefined): Promise<CallOutcome> {
    const { access } = this.opts;
    if (!access.ready) return { ok: false, status: 503, message: "The allocator is not running yet" };
    const node = this.nodeOf(change.agentId);
    if (node === undefined || access.dynamicReservationsOf(change.agentId) === undefined)
      return { ok: false, status: 400, message: "No agent found with specified ID" };
    const kind = change.type === "RESERVE_RESOURCES" ? "RESERVE" : "UNRESERVE";
    if (change.type === "RESERVE_RESOURCES") {
      const agent = `${change.agentId} at slave(1)@${nodeIp(node)}:5051 (${hostnameOf(node)})`;
      const error =
        (change.source.length > 0 ? reservationUpdateError(change.source, change.resources) : undefined) ??
        reserveError(change.resources, { principal });
      if (error !== undefined)
        return { ok: false, status: 400, message: `Invalid RESERVE operation on agent ${agent}: ${error}` };
    } else {
      const error = unreserveError(change.resources);
      if (error !== undefined)
        return { ok: false, status: 400, message: `Invalid UNRESERVE operation: ${error}` };
    }
    const resources = reservationResources(change.resources);
    const source =
      change.type === "RESERVE_RESOURCES" && change.source.length > 0
        ? reservationResources(change.source)
        : undefined;
    const result = access.changeReservation(kind, change.agentId, resources, source);
    if (result.error !== undefined) return { ok: false, status: 409, message: result.error };
    try {
      await this.persist(change.agentId);
    } catch (err) {
      // Undo: an update that replaced a top reservation is updated back; a push is popped.
      if (source !== undefined && !resources.popReservation().equals(source))
        access.changeReservation("RESERVE", change.agentId, source, resources);
      else access.changeReservation(kind === "RESERVE" ? "UNRESERVE" : "RESERVE", change.agentId, resources);
      return {
        ok: false,
        status: 503,
        message: `The reservation could not be recorded: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    this.opts.log.info(
      {
        agentId: change.agentId,
        operation: kind,
        resources: describeResources(resources),
        ...(source === undefined ? {} : { source: describeResources(source) }),
      },
      "dynamic reservation changed by the operator API",
    );
    return { ok: true };
  }

  /**
   * Writes the agent's dynamic reservations, as the allocator holds them when the write starts,
   * to its Node. Resolves when a write that started after this call succeeded.
   */
  persist(agentId: string): Promise<void> {
    const node = this.nodeOf(agentId);
    const name = node?.metadata.name;
    if (name === undefined) return Promise.reject(new Error(`no node for agent ${agentId}`));
    const previous = this.writes.get(name) ?? Promise.resolve();
    const write = previous
      .catch(() => {})
      .then(async () => {
        const set: Resources | undefined = this.opts.access.dynamicReservationsOf(agentId);
        if (set === undefined) throw new Error(`agent ${agentId} is gone`);
        await this.opts.annotate(name, {
          [DYNAMIC_RESERVATIONS_ANNOTATION]: set.isEmpty ? null : encodeDynamicReservations(set),
        });
      });
    this.writes.set(name, write);
    void write
      .finally(() => {
        if (this.writes.get(name) === write) this.writes.delete(name);
      })
      .catch(() => {});
    return write;
  }
}

function nodeIp(node: Node): string {
  return node.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? "127.0.0.1";
}

function hostnameOf(node: Node): string {
  return node.status?.addresses?.find((a) => a.type === "Hostname")?.address ?? node.metadata.name ?? "";
}
