// An operator process whose Mesos API a test talks to: started on a free port, leading through a
// Lease in the test's namespace and taking only the test's labelled nodes as agents; resolves
// once the leader serves the API. Plus the operator API's plain (non-stream) calls.

import { type OperatorProcess, startOperatorProcess } from "./operator.ts";
import { freePort } from "./ports.ts";
import { waitFor } from "./wait.ts";

export interface MesosOperator {
  process: OperatorProcess;
  port: number;
  /** http://127.0.0.1:<port> */
  base: string;
}

export async function startMesosOperator(
  namespace: string,
  identity: string,
  agentLabel: string,
  extraFlags: string[] = [],
): Promise<MesosOperator> {
  const port = await freePort();
  const process = startOperatorProcess(namespace, identity, agentLabel, [
    "--mesos-api-port",
    String(port),
    ...extraFlags,
  ]);
  const base = `http://127.0.0.1:${port}`;
  await waitForMesosApi(base, process);
  return { process, port, base };
}

/** Until the leader serves the Mesos API at `base` (after a start or a restart). */
export async function waitForMesosApi(base: string, process: OperatorProcess): Promise<void> {
  await waitFor(
    "the Mesos API of the leader",
    async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200,
    { timeoutMs: 60_000, describe: async () => process.output().slice(-3000) },
  );
}

/** POST an operator API call (JSON); the status, body text and parsed JSON (when it is JSON). */
export async function operatorApiCall(
  base: string,
  body: object,
): Promise<{ status: number; text: string; json: unknown }> {
  const res = await fetch(`${base}/api/v1`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}
