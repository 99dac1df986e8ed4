import { HttpMethod, KubeConfig, RequestContext } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { PooledKubeConfig } from "./pooledKubeConfig.ts";

// A CA is enough for client-node to build a TLS dispatcher; nothing connects in these tests.
const CA = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString("base64");

function kubeConfig<T extends KubeConfig>(kc: T): T {
  kc.loadFromOptions({
    clusters: [
      { name: "one", server: "https://127.0.0.1:6443", caData: CA, skipTLSVerify: false },
      { name: "two", server: "https://127.0.0.2:6443", caData: CA, skipTLSVerify: false },
    ],
    users: [
      { name: "alice", token: "a" },
      { name: "bob", token: "b" },
    ],
    contexts: [
      { name: "one-alice", cluster: "one", user: "alice" },
      { name: "two-bob", cluster: "two", user: "bob" },
    ],
    currentContext: "one-alice",
  });
  return kc;
}

async function dispatcherOf(kc: KubeConfig): Promise<unknown> {
  const context = new RequestContext("https://127.0.0.1:6443/api", HttpMethod.GET);
  await kc.applySecurityAuthentication(context);
  return context.getDispatcher();
}

describe("PooledKubeConfig", () => {
  it("gives every request of a cluster and user the same dispatcher (one kept connection pool)", async () => {
    const kc = kubeConfig(new PooledKubeConfig());
    const first = await dispatcherOf(kc);
    expect(first).toBeDefined();
    expect(await dispatcherOf(kc)).toBe(first);
    expect(await dispatcherOf(kc)).toBe(first);
  });

  it("still applies the per-request credentials", async () => {
    const kc = kubeConfig(new PooledKubeConfig());
    const context = new RequestContext("https://127.0.0.1:6443/api", HttpMethod.GET);
    await kc.applySecurityAuthentication(context);
    expect(context.getHeaders().Authorization).toBe("Bearer a");
  });

  it("keeps a separate pool for another cluster and user", async () => {
    const kc = kubeConfig(new PooledKubeConfig());
    const one = await dispatcherOf(kc);
    kc.setCurrentContext("two-bob");
    const two = await dispatcherOf(kc);
    expect(two).not.toBe(one);
    expect(await dispatcherOf(kc)).toBe(two);
  });

  it("differs from plain client-node, which builds a new dispatcher per request", async () => {
    // If client-node starts pooling itself, this fails and the class can go.
    const plain = kubeConfig(new KubeConfig());
    const first = await dispatcherOf(plain);
    expect(first).toBeDefined();
    expect(await dispatcherOf(plain)).not.toBe(first);
  });
});
