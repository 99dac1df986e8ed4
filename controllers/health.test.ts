import { afterEach, describe, expect, it } from "vitest";
import { HealthServer } from "./health.ts";
import { silentLogger } from "./logging.ts";

let server: HealthServer | undefined;

async function serve(setup: (s: HealthServer) => void) {
  server = new HealthServer({
    port: 0,
    host: "127.0.0.1",
    metrics: async () => ({ contentType: "text/plain; version=0.0.4", body: "up 1\n" }),
    log: silentLogger(),
  });
  setup(server);
  const port = await server.listen();
  return async (path: string, method = "GET") => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
    return { status: res.status, body: await res.text(), type: res.headers.get("content-type") };
  };
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("HealthServer", () => {
  it("serves metrics and passing checks", async () => {
    const get = await serve((s) => {
      s.addLivenessCheck("ping", () => true);
      s.addReadinessCheck("informers", () => true);
    });
    expect(await get("/metrics")).toEqual({ status: 200, body: "up 1\n", type: "text/plain; version=0.0.4" });
    expect((await get("/healthz")).body).toBe("ok\n");
    expect((await get("/readyz")).status).toBe(200);
    expect((await get("/readyz?verbose")).body).toBe("[+]informers ok\nok\n");
    expect((await get("/other")).status).toBe(404);
    expect((await get("/healthz", "POST")).status).toBe(405);
  });

  it("fails with the failing checks named, including one that throws", async () => {
    let synced = false;
    const get = await serve((s) => {
      s.addReadinessCheck("informers", () => synced || "not synced: pods");
      s.addReadinessCheck("election", () => true);
      s.addLivenessCheck("broken", () => {
        throw new Error("boom");
      });
    });
    expect(await get("/readyz")).toMatchObject({
      status: 500,
      body: "[-]informers failed: not synced: pods\nfailed\n",
    });
    expect(await get("/healthz")).toMatchObject({ status: 500, body: "[-]broken failed: boom\nfailed\n" });
    synced = true;
    expect((await get("/readyz")).status).toBe(200);
    server?.markShuttingDown();
    expect(await get("/readyz")).toMatchObject({
      status: 500,
      body: "[-]shutdown failed: shutting down\nfailed\n",
    });
  });
});
