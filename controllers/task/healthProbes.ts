// A Mesos HealthCheck as Kubernetes probes. Readiness carries the result (TaskStatus.healthy comes
// from the container's ready flag); liveness reproduces Mesos killing the task after
// consecutive_failures failures, not counting failures within the grace period.
import type { V1Probe } from "@kubernetes/client-node";
import type { TaskSpec } from "../api/index.ts";

type HealthCheck = NonNullable<TaskSpec["healthCheck"]>;

const seconds = (s: number): number => Math.max(1, Math.ceil(s));

function probeAction(check: HealthCheck): V1Probe {
  switch (check.type) {
    case "COMMAND": {
      const c = check.command!;
      return {
        exec: { command: c.shell ? ["/bin/sh", "-c", c.value] : [c.value, ...(c.arguments ?? [])] },
      };
    }
    case "HTTP": {
      const h = check.http!;
      const httpGet: NonNullable<V1Probe["httpGet"]> = { port: h.port, path: h.path ?? "/" };
      if (h.scheme !== undefined) httpGet.scheme = h.scheme;
      return { httpGet };
    }
    case "TCP":
      return { tcpSocket: { port: check.tcp!.port } };
  }
}

export function readinessProbe(check: HealthCheck): V1Probe {
  return {
    ...probeAction(check),
    initialDelaySeconds: Math.ceil(check.delaySeconds),
    periodSeconds: seconds(check.intervalSeconds),
    timeoutSeconds: seconds(check.timeoutSeconds),
    failureThreshold: 1,
  };
}

/** Undefined when Mesos would never kill the task for failing checks (consecutive_failures 0). */
export function livenessProbe(check: HealthCheck): V1Probe | undefined {
  if (check.consecutiveFailures === 0) return undefined;
  return {
    ...probeAction(check),
    initialDelaySeconds: Math.ceil(Math.max(check.delaySeconds, check.gracePeriodSeconds)),
    periodSeconds: seconds(check.intervalSeconds),
    timeoutSeconds: seconds(check.timeoutSeconds),
    failureThreshold: check.consecutiveFailures,
  };
}
