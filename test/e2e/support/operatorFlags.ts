import { inject } from "vitest";

/**
 * Flags for an operator replica in e2e tests: the test cluster, a Lease in the test's namespace,
 * and short lease timings (4 s lease, 3 s renew deadline, 0.3 s retry) so failovers take seconds.
 */
export function replicaFlags(namespace: string, identity: string): string[] {
  return [
    "--kubeconfig",
    inject("kubeconfig"),
    "--lease-namespace",
    namespace,
    "--identity",
    identity,
    "--lease-duration-seconds",
    "4",
    "--lease-renew-deadline-seconds",
    "3",
    "--lease-retry-period-seconds",
    "0.3",
  ];
}
