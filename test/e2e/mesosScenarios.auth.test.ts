// HTTP Basic authentication of the operator process's Mesos API (semantics.md §1.3), with the
// credentials file the chart mounts from a Secret, and S-100 (GET_METRICS call validation).
import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mesosTestBed } from "./support/mesosTestBed.ts";
import { customResources } from "./support/operator.ts";
import { waitFor } from "./support/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "mesos-credentials-"));
const credentialsFile = join(dir, "credentials.json");
const bed = mesosTestBed({
  name: "mesosauth",
  agents: { a: {} },
  beforeStart: () => writeCredentials([{ principal: "marathon", secret: "s3cret" }]),
  flags: [
    "--authenticate-http-frameworks",
    "true",
    "--authenticate-http-operators",
    "true",
    "--credentials-file",
    credentialsFile,
    "--max-completed-frameworks",
    "1",
  ],
});
const { c, ns } = bed;
const frameworks = customResources(c, "frameworks");

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** Replaces the file as the kubelet updates a mounted Secret: a new file swapped in at once. */
function writeCredentials(credentials: { principal: string; secret: string }[]) {
  const next = join(dir, "next.json");
  writeFileSync(next, JSON.stringify({ credentials }));
  renameSync(next, credentialsFile);
}

async function operatorCall(body: object, authorization?: string) {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  if (authorization !== undefined) headers.Authorization = authorization;
  const res = await fetch(`${bed.base}/api/v1`, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, body: await res.text(), challenge: res.headers.get("www-authenticate") };
}

function subscribe(principal: string, authorization?: string) {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  if (authorization !== undefined) headers.Authorization = authorization;
  const body = JSON.stringify({
    type: "SUBSCRIBE",
    // A long failover timeout: closing the stream leaves the framework disconnected, not torn
    // down, so only the TEARDOWN calls below complete frameworks.
    subscribe: {
      framework_info: { user: "u", name: "auth-e2e", roles: ["*"], principal, failover_timeout: 3600 },
    },
  });
  return fetch(`${bed.base}/api/v1/scheduler`, { method: "POST", headers, body });
}

/** SUBSCRIBE as marathon; the framework id from SUBSCRIBED (the stream is then closed). */
async function subscribedFrameworkId(): Promise<string> {
  const res = await subscribe("marathon", basic("marathon", "s3cret"));
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let text = "";
  let match: RegExpExecArray | null = null;
  while (match === null) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += new TextDecoder().decode(chunk.value);
    match = /"type":"SUBSCRIBED","subscribed":\{"framework_id":\{"value":"([^"]+)"/.exec(text);
  }
  await reader.cancel();
  if (match === null) throw new Error(`no SUBSCRIBED event in ${text}`);
  return match[1] as string;
}

describe("HTTP Basic authentication (semantics.md §1.3)", () => {
  it("scheduler API: 401 with the Mesos challenge without or with wrong credentials", async () => {
    for (const authorization of [undefined, basic("marathon", "wrong"), basic("nobody", "s3cret")]) {
      const res = await subscribe("marathon", authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Basic realm="mesos-master-scheduler"');
      await res.body?.cancel();
    }
  });

  it("scheduler API: a FrameworkInfo.principal other than the authenticated one is refused", async () => {
    const res = await subscribe("someone-else", basic("marathon", "s3cret"));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(
      "Authenticated principal 'marathon' does not match principal 'someone-else' set in `FrameworkInfo`",
    );
  });

  it("scheduler API: the right credentials subscribe", async () => {
    const id = await subscribedFrameworkId();
    expect(id).toMatch(/.+/);
  });

  it("operator API: 401 without credentials, 200 with them, and a rotated file is followed", async () => {
    const missing = await operatorCall({ type: "GET_HEALTH" });
    expect(missing.status).toBe(401);
    expect(missing.challenge).toBe('Basic realm="mesos-master-readwrite"');
    expect((await operatorCall({ type: "GET_HEALTH" }, basic("marathon", "s3cret"))).status).toBe(200);

    const state = await fetch(`${bed.base}/master/state`);
    expect(state.status).toBe(401);
    expect(state.headers.get("www-authenticate")).toBe('Basic realm="mesos-master-readonly"');
    const stateOk = await fetch(`${bed.base}/master/state`, {
      headers: { Authorization: basic("marathon", "s3cret") },
    });
    expect(stateOk.status).toBe(200);
    await stateOk.body?.cancel();

    writeCredentials([{ principal: "marathon", secret: "rotated" }]);
    expect((await operatorCall({ type: "GET_HEALTH" }, basic("marathon", "s3cret"))).status).toBe(401);
    expect((await operatorCall({ type: "GET_HEALTH" }, basic("marathon", "rotated"))).status).toBe(200);
    writeCredentials([{ principal: "marathon", secret: "s3cret" }]);
  });

  it("S-100: GET_METRICS without get_metrics is 400; with {} it is 200 and has master/elected = 1", async () => {
    const auth = basic("marathon", "s3cret");
    const bare = await operatorCall({ type: "GET_METRICS" }, auth);
    expect(bare.status).toBe(400);
    expect(bare.body).toContain("Expecting 'get_metrics' to be present");
    const ok = await operatorCall({ type: "GET_METRICS", get_metrics: {} }, auth);
    expect(ok.status).toBe(200);
    const metrics = (JSON.parse(ok.body) as { get_metrics: { metrics: { name: string; value?: number }[] } })
      .get_metrics.metrics;
    expect(metrics.find((m) => m.name === "master/elected")?.value).toBe(1);
  });

  it("S-98/S-102: operator TEARDOWN is 400 for an unknown id, 200 for a known one; /master/state keeps the last --max-completed-frameworks (1)", async () => {
    const auth = basic("marathon", "s3cret");
    const unknown = await operatorCall(
      { type: "TEARDOWN", teardown: { framework_id: { value: "no-such-fw" } } },
      auth,
    );
    expect(unknown.status).toBe(400);
    const first = await subscribedFrameworkId();
    const second = await subscribedFrameworkId();
    for (const id of [first, second]) {
      const res = await operatorCall({ type: "TEARDOWN", teardown: { framework_id: { value: id } } }, auth);
      expect(res.status).toBe(200);
    }
    await waitFor(
      "the second framework among the completed ones",
      async () => {
        const state = (await (
          await fetch(`${bed.base}/master/state`, { headers: { Authorization: auth } })
        ).json()) as { completed_frameworks: { id: string }[] };
        return state.completed_frameworks.some((f) => f.id === second);
      },
      { timeoutMs: 20_000, describe: async () => bed.operator.process.output().slice(-2000) },
    );
    const state = (await (
      await fetch(`${bed.base}/master/state`, { headers: { Authorization: auth } })
    ).json()) as {
      frameworks: { id: string }[];
      completed_frameworks: { id: string }[];
    };
    expect(state.completed_frameworks.map((f) => f.id)).toEqual([second]);
    expect(state.frameworks.map((f) => f.id)).not.toContain(first);
    // Once the Framework objects are gone (tasks killed, finalizer removed), the master still lists
    // the last completed one, as a Mesos master keeps completed frameworks in memory.
    await waitFor("the torn-down Framework objects deleted", async () => {
      const items = ((await frameworks.list(ns)).items as { status?: { frameworkId?: string } }[]).filter(
        (f) => f.status?.frameworkId === first || f.status?.frameworkId === second,
      );
      return items.length === 0;
    });
    const after = (await (
      await fetch(`${bed.base}/master/state`, { headers: { Authorization: auth } })
    ).json()) as {
      completed_frameworks: { id: string; active: boolean }[];
    };
    expect(after.completed_frameworks.map((f) => [f.id, f.active])).toEqual([[second, false]]);
  });
});
