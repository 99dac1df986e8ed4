// Where the maintenance schedule lives: one ConfigMap in the operator's namespace, the Mesos
// registry's `schedules` and `machines` (docs/decisions.md). A ConfigMap rather than annotations
// on Nodes because Mesos lets a schedule name machines that have no agent (yet); the nodes the
// schedule names are annotated from it (maintenanceNodes.ts). Writes are read-modify-write at the
// resourceVersion read, retried on conflicts, so concurrent calls never lose a change.
import { z } from "zod";
import type { StoredConfigMap } from "../../cluster/configMaps.ts";
import { isAlreadyExists, isConflict } from "../../cluster/index.ts";
import { MachineIdSchema, MaintenanceScheduleSchema, UnavailabilitySchema } from "../messages/maintenance.ts";
import { EMPTY_MAINTENANCE, type MaintenanceState, type Transition } from "./maintenanceSchedule.ts";

export interface ConfigMapAccess {
  get(namespace: string, name: string): Promise<StoredConfigMap | undefined>;
  put(
    namespace: string,
    name: string,
    data: Record<string, string>,
    resourceVersion: string | undefined,
    labels?: Record<string, string>,
  ): Promise<void>;
}

const MachinesSchema = z.array(
  z.object({ id: MachineIdSchema, mode: z.enum(["DRAINING", "DOWN"]), unavailability: UnavailabilitySchema }),
);

/** The state in a ConfigMap's data; a ConfigMap someone broke by hand is an error, not an empty schedule. */
export function parseMaintenanceData(data: Record<string, string>): MaintenanceState {
  const schedule = MaintenanceScheduleSchema.parse(JSON.parse(data.schedule ?? '{"windows":[]}'));
  const machines = MachinesSchema.parse(JSON.parse(data.machines ?? "[]"));
  return { schedule, machines };
}

export function maintenanceData(state: MaintenanceState): Record<string, string> {
  return { schedule: JSON.stringify(state.schedule), machines: JSON.stringify(state.machines) };
}

const ATTEMPTS = 5;

export class MaintenanceStore {
  private last: MaintenanceState = EMPTY_MAINTENANCE;

  constructor(
    private readonly access: ConfigMapAccess,
    readonly namespace: string,
    readonly name: string,
  ) {}

  /** The state last read or written by this process. */
  get cached(): MaintenanceState {
    return this.last;
  }

  async read(): Promise<MaintenanceState> {
    const stored = await this.access.get(this.namespace, this.name);
    this.last = stored === undefined ? EMPTY_MAINTENANCE : parseMaintenanceData(stored.data);
    return this.last;
  }

  /** Applies `transition` to the stored state and writes the result; a refusal writes nothing. */
  async change(transition: (state: MaintenanceState) => Transition): Promise<Transition> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.access.get(this.namespace, this.name);
      const current = stored === undefined ? EMPTY_MAINTENANCE : parseMaintenanceData(stored.data);
      this.last = current;
      const next = transition(current);
      if (!next.ok) return next;
      try {
        await this.access.put(
          this.namespace,
          this.name,
          maintenanceData(next.state),
          stored?.resourceVersion,
          {
            "app.kubernetes.io/managed-by": "mesos-operator",
          },
        );
        this.last = next.state;
        return next;
      } catch (err) {
        // Created or changed meanwhile (409, or 409 AlreadyExists on create): read again.
        if (attempt >= ATTEMPTS || !(isConflict(err) || isAlreadyExists(err))) throw err;
      }
    }
  }
}
