// A task's Mesos resources as a container's requests and limits (DESIGN.md "The mapping"):
// cpus → cpu, mem MB → memory, disk MB → ephemeral-storage, gpus → nvidia.com/gpu. Memory and GPUs
// also get limits: a memory limit makes an OOM kill map to REASON_CONTAINER_LIMITATION_MEMORY, and
// Kubernetes requires limits equal to requests for extended resources such as GPUs.
import type { V1ResourceRequirements } from "@kubernetes/client-node";
import { toMilli } from "../allocator/index.ts";
import type { Resources as CompactResources } from "../api/index.ts";

const MB = 2 ** 20;

/** Cores as millicores, the unit Kubernetes keeps cpu in ("0.5" → "500m"). */
export const cpuQuantity = (cpus: number): string => `${toMilli(cpus)}m`;

/** Megabytes (Mesos MB = 2^20 bytes) as "NMi", or whole bytes (rounded up) for fractions. */
export function megabytesQuantity(mb: number): string {
  const milli = toMilli(mb);
  return milli % 1000 === 0 ? `${milli / 1000}Mi` : String(Math.ceil((milli * MB) / 1000));
}

export function containerResources(res: CompactResources): V1ResourceRequirements {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (res.cpus !== undefined && res.cpus > 0) requests.cpu = cpuQuantity(res.cpus);
  if (res.mem !== undefined && res.mem > 0) {
    requests.memory = megabytesQuantity(res.mem);
    limits.memory = requests.memory;
  }
  if (res.disk !== undefined && res.disk > 0) requests["ephemeral-storage"] = megabytesQuantity(res.disk);
  if (res.gpus !== undefined && res.gpus > 0) {
    requests["nvidia.com/gpu"] = String(res.gpus);
    limits["nvidia.com/gpu"] = requests["nvidia.com/gpu"];
  }
  const out: V1ResourceRequirements = {};
  if (Object.keys(requests).length > 0) out.requests = requests;
  if (Object.keys(limits).length > 0) out.limits = limits;
  return out;
}
