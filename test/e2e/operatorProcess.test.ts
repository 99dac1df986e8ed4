import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEADER_LABEL } from "../../controllers/cluster/leaderPodLabel.ts";
import { ensureCrds } from "./support/crds.ts";
import { kubeClients } from "./support/kube.ts";
import { replicaFlags } from "./support/operatorFlags.ts";
import { repoRoot } from "./support/paths.ts";
import { freePort } from "./support/ports.ts";
import { waitFor } from "./support/wait.ts";

// The operator as a process (what `npm run operator` starts): health endpoints, metrics, two
// replicas on one Lease, graceful shutdown on SIGTERM, and refusal of a bad configuration.
const c = kubeClients();
const ns = `operator-${Date.now().toString(36)}`;
const lease = "mesos-operator-leader";

interface Proc {
  child: ChildProcess;
  port: number;
  output: () => string;
}

const procs: Proc[] = [];

/** Runs controllers/main.ts with this Node (24) and tsx, as `npm run operator` does. */
function operator(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", join(repoRoot, "controllers/main.ts"), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function start(identity: string): Promise<Proc> {
  const port = await freePort();
  // Each replica has a stand-in pod of its name, as the downward API would tell it in a cluster.
  await c.core.createNamespacedPod({
    namespace: ns,
    body: {
      metadata: { name: identity },
      spec: { containers: [{ name: "operator", image: "mesos-operator" }] },
    },
  });
  const child = operator([...replicaFlags(ns, identity), "--metrics-port", String(port)], {
    POD_NAME: identity,
    POD_NAMESPACE: ns,
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const p = { child, port, output: () => out };
  procs.push(p);
  return p;
}

async function get(p: Proc, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${p.port}${path}`);
  return { status: res.status, body: await res.text() };
}

const leaderGauge = (metrics: string) =>
  /leader_election_master_status\{name="mesos-operator-leader"\} (\d)/.exec(metrics)?.[1];

async function leaderLabel(pod: string): Promise<string | undefined> {
  return (await c.core.readNamespacedPod({ name: pod, namespace: ns })).metadata?.labels?.[LEADER_LABEL];
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}

beforeAll(async () => {
  ensureCrds();
  await c.core.createNamespace({ body: { metadata: { name: ns } } });
});

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  await c.core.deleteNamespace({ name: ns }).catch(() => undefined);
});

describe("operator process", () => {
  it("serves health and metrics, leads alone, hands over to a standby on SIGTERM", async () => {
    const a = await start("replica-a");
    await waitFor("replica-a ready", async () => (await get(a, "/readyz")).status === 200, {
      timeoutMs: 60_000,
      describe: async () => a.output().slice(-2000),
    });
    expect(await get(a, "/healthz")).toEqual({ status: 200, body: "ok\n" });
    const verbose = await get(a, "/readyz?verbose");
    expect(verbose.body).toContain("[+]informers ok");
    expect(verbose.body).toContain("[+]leader-election ok");
    expect((await get(a, "/nope")).status).toBe(404);
    await waitFor("replica-a to lead", async () => leaderGauge((await get(a, "/metrics")).body) === "1");
    const metrics = (await get(a, "/metrics")).body;
    expect(metrics).toContain('informer_synced{resource="pods"} 1');
    expect(metrics).toContain('informer_relists_total{resource="nodes",reason="initial"} 1');
    expect(metrics).toContain("process_open_fds");
    expect((await c.coord.readNamespacedLease({ name: lease, namespace: ns })).spec?.holderIdentity).toBe(
      "replica-a",
    );

    await waitFor("replica-a's pod labelled leader", async () => (await leaderLabel("replica-a")) === "true");

    // A standby is ready too (warm caches) but does not lead.
    const b = await start("replica-b");
    await waitFor("replica-b ready", async () => (await get(b, "/readyz")).status === 200, {
      timeoutMs: 60_000,
    });
    expect(leaderGauge((await get(b, "/metrics")).body)).toBe("0");

    const stopped = Date.now();
    a.child.kill("SIGTERM");
    expect(await exitOf(a.child)).toBe(0);
    expect(a.output()).toContain("released the lease");
    // Released, so b takes over within a retry period or two, not after the 4 s lease.
    await waitFor("replica-b to lead", async () => leaderGauge((await get(b, "/metrics")).body) === "1", {
      intervalMs: 100,
    });
    expect(Date.now() - stopped).toBeLessThan(4000);
    expect((await c.coord.readNamespacedLease({ name: lease, namespace: ns })).spec?.holderIdentity).toBe(
      "replica-b",
    );

    // The Service's selector follows: b's pod carries the leader label, a's no longer does.
    await waitFor("replica-b's pod labelled leader", async () => (await leaderLabel("replica-b")) === "true");
    expect(await leaderLabel("replica-a")).toBeUndefined();

    b.child.kill("SIGINT");
    expect(await exitOf(b.child)).toBe(0);
    const logLines = b
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"));
    // Structured logs: every line is JSON with level, time and message.
    for (const line of logLines)
      expect(JSON.parse(line)).toMatchObject({ level: expect.any(String), msg: expect.any(String) });
    expect(logLines.some((l) => l.includes('"msg":"shut down"'))).toBe(true);
  });

  it("refuses a bad configuration with a message naming the flag or variable", async () => {
    const child = operator(["--metrics-port", "http"], { MESOS_OPERATOR_LEASE_DURATION_SECONDS: "soon" });
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    expect(await exitOf(child)).toBe(2);
    expect(err).toContain("--metrics-port=http: must be a whole number");
    expect(err).toContain("MESOS_OPERATOR_LEASE_DURATION_SECONDS=soon: must be a whole number");
  });
});
