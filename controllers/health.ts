// The metrics and health port: /metrics (Prometheus text), /healthz (liveness), /readyz
// (readiness). node:http with no framework: three GET routes do not need one, and the operator's
// other server (the Mesos API) has wire rules that also favour plain node:http
// (docs/decisions.md).
//
// Checks answer like the API server's own health endpoints: 200 "ok", or 500 with one line per
// failing check (`[-]informers failed: pods not synced`); `?verbose` lists every check.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "./logging.ts";

/** A health check: true when healthy, otherwise false or the reason (a string). */
export type HealthCheck = () => true | string | false;

export interface HealthServerOptions {
  port: number;
  /** Interface to bind (default all). */
  host?: string;
  /** Prometheus exposition (OperatorMetrics.render). */
  metrics: () => Promise<{ contentType: string; body: string }>;
  log: Logger;
}

export class HealthServer {
  private readonly liveness = new Map<string, HealthCheck>();
  private readonly readiness = new Map<string, HealthCheck>();
  private readonly server: Server;
  private shuttingDown = false;

  constructor(private readonly opts: HealthServerOptions) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        opts.log.error({ err, url: req.url }, "health server request failed");
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
        res.end("internal error\n");
      });
    });
  }

  /** /healthz fails while this check fails: the process is broken and should be restarted. */
  addLivenessCheck(name: string, check: HealthCheck): void {
    this.liveness.set(name, check);
  }

  /** /readyz fails while this check fails: do not route to this replica (yet). */
  addReadinessCheck(name: string, check: HealthCheck): void {
    this.readiness.set(name, check);
  }

  /** Readiness fails from now on, so load balancers stop sending traffic before we exit. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  /** Listens; resolves with the port (useful with port 0 in tests). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off("error", reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive connections from a scraper would hold close() open.
      this.server.closeAllConnections();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { "Content-Type": "text/plain", Allow: "GET, HEAD" });
      res.end("method not allowed\n");
      return;
    }
    switch (url.pathname) {
      case "/metrics": {
        const { contentType, body } = await this.opts.metrics();
        res.writeHead(200, { "Content-Type": contentType });
        res.end(body);
        return;
      }
      case "/healthz":
      case "/livez":
        return this.answer(res, this.liveness, url.searchParams.has("verbose"), false);
      case "/readyz":
        return this.answer(res, this.readiness, url.searchParams.has("verbose"), this.shuttingDown);
      default:
        res.writeHead(404, { "Content-Type": "text/plain" });
        res.end("not found\n");
    }
  }

  private answer(
    res: ServerResponse,
    checks: Map<string, HealthCheck>,
    verbose: boolean,
    shuttingDown: boolean,
  ): void {
    const lines: string[] = [];
    let ok = true;
    if (shuttingDown) {
      ok = false;
      lines.push("[-]shutdown failed: shutting down");
    }
    for (const [name, check] of checks) {
      let result: true | string | false;
      try {
        result = check();
      } catch (err) {
        result = err instanceof Error ? err.message : String(err);
      }
      if (result === true) {
        lines.push(`[+]${name} ok`);
      } else {
        ok = false;
        lines.push(`[-]${name} failed${typeof result === "string" ? `: ${result}` : ""}`);
      }
    }
    res.writeHead(ok ? 200 : 500, {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
    });
    if (ok && !verbose) {
      res.end("ok\n");
      return;
    }
    const shown = verbose ? lines : lines.filter((l) => l.startsWith("[-]"));
    res.end(`${shown.join("\n")}\n${ok ? "ok" : "failed"}\n`);
  }
}
