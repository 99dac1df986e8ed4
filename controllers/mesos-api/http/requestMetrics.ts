// Counting Mesos API requests by call type and status code: the scheduler and operator APIs name
// the call once they have parsed it (`noteCallType`), and the server observes the response head,
// which for a SUBSCRIBE is the opening of its stream.
import type { ServerResponse } from "node:http";
import type { ApiKind } from "../../cluster/schedulingMetrics.ts";

/** Where request counts and latencies go (the operator's SchedulingMetrics). */
export interface RequestMetrics {
  apiRequest(api: ApiKind, call: string, code: number, seconds: number): void;
}

const callTypes = new WeakMap<ServerResponse, string>();

/** Names the call a response answers (its `type`), for the request metrics. */
export function noteCallType(res: ServerResponse, type: string): void {
  callTypes.set(res, type);
}

/**
 * Observes `res` once, when its head is written: the API, the call type (or `what` when no call
 * was parsed, e.g. a request refused before its body was read), the status code and the latency.
 */
export function observeResponse(
  res: ServerResponse,
  api: ApiKind,
  what: string,
  metrics: RequestMetrics,
): void {
  const started = performance.now();
  const writeHead = res.writeHead;
  let observed = false;
  const observe = () => {
    if (observed) return;
    observed = true;
    metrics.apiRequest(api, callTypes.get(res) ?? what, res.statusCode, (performance.now() - started) / 1000);
  };
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    const result = writeHead.apply(this, args);
    observe();
    return result;
  } as ServerResponse["writeHead"];
  // A response ended without an explicit head (or a dropped connection) still counts.
  res.once("close", observe);
}
