// From the maintenance schedule to the nodes it names: each node of a scheduled machine carries
// the annotation mesos.operator.dev/maintenance (mode and unavailability), which the allocator
// reads (nodeToAgent: DRAINING → offers with unavailability and inverse offers, DOWN → no
// agent) and the task reconciler reads (tasks on a DOWN machine are lost, their pods deleted).
// A DOWN node is also cordoned, so Kubernetes places nothing there either; the cordon is undone by
// STOP_MAINTENANCE only when the maintenance made it. Pure: the caller writes the patches.
import { type NodeMaintenance, nodeMaintenance, nodeMaintenanceText } from "../../allocator/index.ts";
import { MAINTENANCE_ANNOTATION } from "../../allocator/nodeMaintenance.ts";
import type { Node } from "../../cluster/nodeSchema.ts";
import { type MachineAddress, type MaintenanceState, machineOf } from "./maintenanceSchedule.ts";

/** How a MachineID can name the node: its name or Hostname address, and any of its IPs. */
export function machineAddressOf(node: Node): MachineAddress {
  const addresses = node.status?.addresses ?? [];
  const hostnames = [
    node.metadata.name ?? "",
    ...addresses.filter((a) => a.type === "Hostname").map((a) => a.address),
  ];
  const ips = addresses
    .filter((a) => a.type === "InternalIP" || a.type === "ExternalIP")
    .map((a) => a.address);
  return { hostnames: hostnames.filter((h) => h !== ""), ips };
}

export interface NodePatch {
  annotations?: Record<string, string | null>;
  unschedulable?: boolean | undefined;
}

/** The patch that brings `node` in line with `state`; undefined when it already is. */
export function maintenancePatchFor(state: MaintenanceState, node: Node): NodePatch | undefined {
  const current = nodeMaintenance(node);
  const text = node.metadata.annotations?.[MAINTENANCE_ANNOTATION];
  const record = machineOf(state, machineAddressOf(node));
  const cordonedNow = node.spec?.unschedulable === true;
  let desired: NodeMaintenance | undefined;
  let unschedulable: boolean | undefined;
  if (record !== undefined) {
    desired = { mode: record.mode, unavailability: record.unavailability };
    if (record.mode === "DOWN") {
      if (!cordonedNow) {
        unschedulable = true;
        desired.cordoned = true;
      } else if (current?.cordoned === true) desired.cordoned = true;
    }
  }
  // Leaving DOWN (or maintenance altogether): undo the cordon the maintenance made.
  if (desired?.mode !== "DOWN" && current?.cordoned === true && cordonedNow) unschedulable = false;
  const desiredText = desired === undefined ? undefined : nodeMaintenanceText(desired);
  const patch: NodePatch = {};
  if (desiredText !== text) patch.annotations = { [MAINTENANCE_ANNOTATION]: desiredText ?? null };
  if (unschedulable !== undefined) patch.unschedulable = unschedulable;
  return patch.annotations === undefined && patch.unschedulable === undefined ? undefined : patch;
}
