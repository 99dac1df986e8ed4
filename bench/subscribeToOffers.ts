// How long a Mesos framework waits for its first offers: SUBSCRIBE sent → first OFFERS event read,
// against the operator process on a local cluster of fake nodes (default 1,000), for frameworks
// subscribing one after another; and how long until it holds an offer of every agent (OFFERS
// events carry at most --max-offers-per-event offers, 100 by default). Each framework is torn down
// once it has them all, so the next one finds every agent free, as the first framework on a Mesos
// master does.
//
//   npm run bench:subscribe [-- --nodes 1000 --frameworks 1000 --gap-ms 0 --keep-cluster]
//
// 1,000 frameworks by default: p99 is then the 10th-slowest SUBSCRIBE, not (as with 200) the 2nd,
// which one scheduling hiccup of the machine decides.
//
// --gap-ms spaces the SUBSCRIBEs (after the previous framework's TEARDOWN); 0 sends the next one at
// once, so each SUBSCRIBE meets the work of the previous framework's teardown (1,000 rescinds).
//
// The cluster is its own (name mo-bench, state in .cluster-bench/), so the bench never touches the
// test cluster. Prints p50/p90/p99/max and the ratio to the 50 ms target; writes
// bench/results/subscribe-to-offers.json (subscribe-to-offers-spaced.json with --gap-ms).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { z } from "zod";
import { EventStreamClient } from "../controllers/mesos-api/testing/eventStreamClient.ts";
import { repoRoot, tool } from "../test/e2e/support/paths.ts";
import { freePort } from "../test/e2e/support/ports.ts";

const TARGET_P99_MS = 50;

const options = z
  .object({
    nodes: z.coerce.number().int().min(1).max(5000),
    frameworks: z.coerce.number().int().min(10).max(10_000),
    gapMs: z.coerce.number().int().min(0).max(60_000),
    keepCluster: z.boolean(),
    cpuProf: z.string().optional(),
  })
  .parse(
    new Command()
      .option("--nodes <n>", "fake nodes (agents)", "1000")
      .option("--frameworks <n>", "frameworks subscribing one after another", "1000")
      .option("--gap-ms <ms>", "pause between one framework's TEARDOWN and the next SUBSCRIBE", "0")
      .option("--keep-cluster", "leave the bench cluster running", false)
      .option("--cpu-prof <dir>", "write a V8 CPU profile of the operator into <dir>")
      .parse()
      .opts(),
  );

const clusterEnv = {
  ...process.env,
  MESOS_OPERATOR_CLUSTER_NAME: "mo-bench",
  MESOS_OPERATOR_CLUSTER_DIR: join(repoRoot, ".cluster-bench"),
};
const kubeconfig = join(repoRoot, ".cluster-bench", "kubeconfig");

function cluster(...args: string[]): void {
  execFileSync(join(repoRoot, "hack/cluster"), args, {
    env: clusterEnv,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Resident memory of a process in MiB (Linux), or NaN. */
function rssMiB(pid: number | undefined): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** The Node.js flags the container image starts the operator with (its ENTRYPOINT). */
function imageNodeFlags(): string[] {
  const line = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(readFileSync(join(repoRoot, "Dockerfile"), "utf8"))?.[1];
  if (line === undefined) throw new Error("the Dockerfile has no ENTRYPOINT in JSON form");
  const argv = z.array(z.string()).parse(JSON.parse(line));
  return argv.slice(1, -1);
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function main(): Promise<void> {
  const started = Date.now();
  // Kubernetes's own node-lease timings (40 s lease, 50 s grace), not the test cluster's short
  // ones: on two cores, 1,000 leases renewed every 5 s would leave the API server little else.
  cluster("up", "--nodes", String(options.nodes), "--node-lease-seconds", "40", "--node-grace-seconds", "50");
  execFileSync(
    tool("kubectl"),
    ["--kubeconfig", kubeconfig, "apply", "--server-side", "-f", join(repoRoot, "crds")],
    {
      stdio: "ignore",
    },
  );
  process.stderr.write(
    `cluster with ${options.nodes} nodes up in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );

  // The operator as users run it: compiled, with the Node.js flags of the image's ENTRYPOINT; not
  // through tsx, whose transform wraps every function expression in a naming helper at run time.
  const nodeFlags = imageNodeFlags();
  execFileSync("npm", ["run", "--silent", "build"], {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const port = await freePort();
  const operator: ChildProcess = spawn(
    process.execPath,
    [
      ...(options.cpuProf === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", options.cpuProf]),
      ...nodeFlags,
      join(repoRoot, "dist/controllers/main.js"),
      "--kubeconfig",
      kubeconfig,
      "--lease-namespace",
      "default",
      "--metrics-port",
      "0",
      "--mesos-api-port",
      String(port),
      "--log-level",
      "warn",
    ],
    { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await until(
      "every node as an agent",
      async () => {
        const res = await fetch(`${base}/master/slaves`);
        const body = (await res.json()) as { slaves: unknown[] };
        return body.slaves.length === options.nodes ? true : undefined;
        // Listing 1,000 nodes and rebuilding the allocator takes a while on a loaded machine.
      },
      300_000,
    );

    const rssBeforeMiB = rssMiB(operator.pid);
    const samples: number[] = [];
    const toSubscribed: number[] = [];
    const toAllOffers: number[] = [];
    let eventsForAll = 0;
    let offersPerEvent = 0;
    for (let i = 0; i < options.frameworks; i++) {
      const t0 = performance.now();
      const stream = await EventStreamClient.open(base, {
        type: "SUBSCRIBE",
        subscribe: { framework_info: { user: "bench", name: `bench-${i}`, roles: ["*"] } },
      });
      const subscribed = await stream.waitFor("SUBSCRIBED", { timeoutMs: 10_000 });
      toSubscribed.push(performance.now() - t0);
      const offers = await stream.waitFor("OFFERS", { timeoutMs: 10_000 });
      samples.push(performance.now() - t0);
      offersPerEvent = (offers.offers as { offers: unknown[] }).offers.length;
      const offerCount = () =>
        stream.events
          .filter((e) => e.type === "OFFERS")
          .reduce((n, e) => n + (e.offers as { offers: unknown[] }).offers.length, 0);
      await stream.waitFor(() => offerCount() >= options.nodes, { timeoutMs: 10_000 });
      toAllOffers.push(performance.now() - t0);
      eventsForAll = stream.events.filter((e) => e.type === "OFFERS").length;
      const frameworkId = (subscribed.subscribed as { framework_id: { value: string } }).framework_id.value;
      const res = await fetch(`${base}/api/v1/scheduler`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Mesos-Stream-Id": stream.streamId ?? "" },
        body: JSON.stringify({ type: "TEARDOWN", framework_id: { value: frameworkId } }),
      });
      await res.text();
      stream.close();
      if (options.gapMs > 0) await new Promise((r) => setTimeout(r, options.gapMs));
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const sortedSubscribed = [...toSubscribed].sort((a, b) => a - b);
    const sortedAll = [...toAllOffers].sort((a, b) => a - b);
    const result = {
      nodes: options.nodes,
      frameworks: options.frameworks,
      gapMs: options.gapMs,
      offersInFirstEvent: offersPerEvent,
      p50Ms: percentile(sorted, 50),
      p90Ms: percentile(sorted, 90),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.at(-1) ?? Number.NaN,
      subscribedP50Ms: percentile(sortedSubscribed, 50),
      subscribedP99Ms: percentile(sortedSubscribed, 99),
      allOffersEvents: eventsForAll,
      allOffersP50Ms: percentile(sortedAll, 50),
      allOffersP90Ms: percentile(sortedAll, 90),
      allOffersP99Ms: percentile(sortedAll, 99),
      allOffersMaxMs: sortedAll.at(-1) ?? Number.NaN,
      targetP99Ms: TARGET_P99_MS,
      operatorNodeFlags: nodeFlags,
      operatorRssBeforeMiB: Math.round(rssBeforeMiB),
      operatorRssAfterMiB: Math.round(rssMiB(operator.pid)),
      // In arrival order, so a slow start (JIT warm-up) or a periodic stall shows where it fell.
      samplesMs: samples.map((ms) => Math.round(ms * 10) / 10),
      subscribedSamplesMs: toSubscribed.map((ms) => Math.round(ms * 10) / 10),
    };
    const f = (ms: number) => ms.toFixed(1).padStart(7);
    console.log(
      `SUBSCRIBE → first OFFERS, ${options.nodes} agents, ${options.frameworks} frameworks one after another${options.gapMs > 0 ? ` (${options.gapMs} ms apart)` : ""}`,
    );
    console.log(`  offers in the first OFFERS event: ${offersPerEvent}`);
    console.log(
      `  p50 ${f(result.p50Ms)} ms   p90 ${f(result.p90Ms)} ms   p99 ${f(result.p99Ms)} ms   max ${f(result.maxMs)} ms`,
    );
    console.log(
      `  (of which SUBSCRIBED: p50 ${f(result.subscribedP50Ms)} ms   p99 ${f(result.subscribedP99Ms)} ms)`,
    );
    console.log(
      `  an offer of every agent (${eventsForAll} OFFERS events): p50 ${f(result.allOffersP50Ms)} ms   p90 ${f(result.allOffersP90Ms)} ms   p99 ${f(result.allOffersP99Ms)} ms   max ${f(result.allOffersMaxMs)} ms`,
    );
    console.log(
      `  operator resident memory: ${result.operatorRssBeforeMiB} MiB before, ${result.operatorRssAfterMiB} MiB after`,
    );
    console.log(
      `  p99 / target (${TARGET_P99_MS} ms): ${(result.p99Ms / TARGET_P99_MS).toFixed(2)} — ${result.p99Ms < TARGET_P99_MS ? "within" : "OVER"} target`,
    );
    writeFileSync(
      join(repoRoot, `bench/results/subscribe-to-offers${options.gapMs > 0 ? "-spaced" : ""}.json`),
      `${JSON.stringify({ measuredAt: new Date().toISOString(), ...result }, null, 2)}\n`,
    );
  } finally {
    operator.kill("SIGTERM");
    if (!options.keepCluster) cluster("down");
  }
}

await main();
