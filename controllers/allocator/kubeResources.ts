// Kubernetes resource quantities ("500m", "32Gi", "1e3") and their Mesos names and units:
// cpu → cpus (cores), memory → mem (MB = 2^20 bytes, as Mesos counts), ephemeral-storage → disk (MB),
// nvidia.com/gpu → gpus.

const DECIMAL: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};
const BINARY: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY_RE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** Parse a Kubernetes quantity into its value in base units (cores, bytes). Throws when malformed. */
export function parseKubeQuantity(text: string): number {
  const m = QUANTITY_RE.exec(text.trim());
  if (m === null) throw new RangeError(`invalid Kubernetes quantity '${text}'`);
  const base = Number(m[1]);
  if (m[2] !== undefined) return Number(`${m[1]}${m[2]}`);
  const suffix = m[3] ?? "";
  const factor = BINARY[suffix] ?? DECIMAL[suffix];
  if (factor === undefined) throw new RangeError(`invalid Kubernetes quantity suffix in '${text}'`);
  // Multiplying by the reciprocal of 1000 loses precision ("100m" → 0.10000000000000002); divide instead.
  return factor < 1 ? base / Math.round(1 / factor) : base * factor;
}

const MB = 2 ** 20;

/** Kubernetes resource name → Mesos resource name and the factor from base units to Mesos units. */
export const DEFAULT_RESOURCE_MAPPING: Readonly<Record<string, { name: string; divisor: number }>> = {
  cpu: { name: "cpus", divisor: 1 },
  memory: { name: "mem", divisor: MB },
  "ephemeral-storage": { name: "disk", divisor: MB },
  "nvidia.com/gpu": { name: "gpus", divisor: 1 },
};

export type ResourceMapping = Readonly<Record<string, { name: string; divisor: number }>>;

/**
 * Kubernetes resource list (`{cpu: "500m", memory: "1Gi"}`) → Mesos scalars (`{cpus: 0.5, mem: 1024}`).
 * Names without a mapping are ignored (pods, hugepages, …).
 */
export function kubeToMesosScalars(
  list: Readonly<Record<string, string | number>> | undefined,
  mapping: ResourceMapping = DEFAULT_RESOURCE_MAPPING,
): Record<string, number> {
  const out: Record<string, number> = {};
  if (list === undefined) return out;
  for (const [k8sName, raw] of Object.entries(list)) {
    const m = mapping[k8sName];
    if (m === undefined) continue;
    const value = typeof raw === "number" ? raw : parseKubeQuantity(raw);
    out[m.name] = (out[m.name] ?? 0) + value / m.divisor;
  }
  return out;
}
