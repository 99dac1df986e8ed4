// Test helpers for code built on the cluster runtime (unit and e2e tests).
import type { InformerMetrics } from "./informer.ts";

/** InformerMetrics that count calls as `relist:<reason>`, `restart:<reason>`, `decodeError`, `handlerError`. */
export function countingInformerMetrics(): { counts: Record<string, number>; metrics: InformerMetrics } {
  const counts: Record<string, number> = {};
  const bump = (k: string) => {
    counts[k] = (counts[k] ?? 0) + 1;
  };
  return {
    counts,
    metrics: {
      relist: (_r, reason) => bump(`relist:${reason}`),
      watchRestart: (_r, reason) => bump(`restart:${reason}`),
      decodeError: () => bump("decodeError"),
      handlerError: () => bump("handlerError"),
    },
  };
}
