// Raw GET and streaming-watch requests to the API server, authenticated by client-node's KubeConfig
// (`applyToHTTPSOptions`: CA, client certificates, bearer/exec/in-cluster tokens, proxies, and the
// agent cached per cluster/user since client-node 2.0 — the FD-leak fix of #2893/#2904).
//
// Why not client-node's typed list methods and its Watch class (docs/decisions.md, "Operator
// runtime"): typed lists turn timestamps into Date objects and drop fields the model does not
// know, while Watch hands over raw JSON, so a cache fed by both would hold two shapes of the same
// object; Watch's inactivity timeout is a private 30 s constant, shorter than the API server's
// bookmark interval, so quiet watches would be cut every 30 s; and a failed watch open reports only
// a status text, not the Status body. Here both list and watch return the wire JSON, which the
// informer decodes with one zod schema per resource.
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { KubeError, kubeErrorFromResponse, toKubeError } from "./kubeErrors.ts";

export type QueryParams = Readonly<Record<string, string | number | boolean | undefined>>;

export interface WatchStreamHandlers {
  /** One parsed JSON line of the stream (a watch event, not yet validated). */
  onLine(value: unknown): void;
  /** The stream ended: `undefined` for a normal close by the server, else why it failed. */
  onClose(err: KubeError | undefined): void;
}

export interface WatchStream {
  /** Closes the stream; `onClose` is not called after this. */
  abort(): void;
}

export class KubeHttp {
  constructor(private readonly kc: KubeConfig) {}

  private async prepare(
    path: string,
    query: QueryParams,
  ): Promise<{ url: URL; options: https.RequestOptions }> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new KubeError(0, "NetworkError", "kubeconfig has no current cluster");
    // The server URL may carry a path prefix (API proxies): append rather than resolve.
    const url = new URL(cluster.server.replace(/\/+$/, "") + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const options: https.RequestOptions = { method: "GET", headers: { Accept: "application/json" } };
    await this.kc.applyToHTTPSOptions(options);
    return { url, options };
  }

  /** Protected so tests can reach the connection (e2e: cut a live watch's socket). */
  protected request(url: URL, options: https.RequestOptions): http.ClientRequest {
    return url.protocol === "http:" ? http.request(url, options) : https.request(url, options);
  }

  /** GET `path` and parse the JSON body. Non-2xx answers become a KubeError with the Status reason. */
  async getJson(path: string, query: QueryParams, timeoutMs: number): Promise<unknown> {
    const what = `GET ${path}`;
    const { url, options } = await this.prepare(path, query);
    return new Promise<unknown>((resolve, reject) => {
      const req = this.request(url, options);
      req.setTimeout(timeoutMs, () => {
        req.destroy(new KubeError(0, "Timeout", `${what}: no answer within ${timeoutMs} ms`));
      });
      req.on("error", (err) => reject(toKubeError(err, what)));
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (err) => reject(toKubeError(err, what)));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const code = res.statusCode ?? 0;
          if (code < 200 || code > 299) {
            reject(kubeErrorFromResponse(code, text, what));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch (err) {
            reject(
              new KubeError(code, "DecodeError", `${what}: response is not JSON`, undefined, { cause: err }),
            );
          }
        });
      });
      req.end();
    });
  }

  /**
   * Opens a watch (`watch=true` is added) and streams its newline-delimited JSON events. Returns
   * at once; connection errors arrive through `onClose`. No client-side timeout: the informer's
   * watchdog decides when a silent stream is dead.
   */
  watch(path: string, query: QueryParams, handlers: WatchStreamHandlers): WatchStream {
    const what = `WATCH ${path}`;
    let aborted = false;
    let closed = false;
    let req: http.ClientRequest | undefined;
    const close = (err: KubeError | undefined) => {
      if (closed || aborted) return;
      closed = true;
      req?.destroy();
      handlers.onClose(err);
    };
    this.prepare(path, { ...query, watch: true })
      .then(({ url, options }) => {
        if (aborted) return;
        req = this.request(url, options);
        // A half-open TCP connection otherwise goes unnoticed for the kernel default (hours).
        req.on("socket", (s) => s.setKeepAlive(true, 30_000));
        req.on("error", (err) => close(toKubeError(err, what)));
        req.on("response", (res) => {
          const code = res.statusCode ?? 0;
          if (code !== 200) {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () =>
              close(kubeErrorFromResponse(code, Buffer.concat(chunks).toString("utf8"), what)),
            );
            res.on("error", (err) => close(toKubeError(err, what)));
            return;
          }
          res.setEncoding("utf8");
          let pending = "";
          res.on("data", (chunk: string) => {
            pending += chunk;
            let nl = pending.indexOf("\n");
            while (nl >= 0 && !closed && !aborted) {
              const line = pending.slice(0, nl).trim();
              pending = pending.slice(nl + 1);
              if (line) {
                let value: unknown;
                try {
                  value = JSON.parse(line);
                } catch (err) {
                  close(
                    new KubeError(200, "DecodeError", `${what}: event is not JSON`, undefined, {
                      cause: err,
                    }),
                  );
                  return;
                }
                handlers.onLine(value);
              }
              nl = pending.indexOf("\n");
            }
          });
          res.on("error", (err) => close(toKubeError(err, what)));
          res.on("end", () => close(undefined));
          res.on("close", () =>
            close(res.complete ? undefined : new KubeError(0, "NetworkError", `${what}: connection lost`)),
          );
        });
        req.end();
      })
      .catch((err: unknown) => close(toKubeError(err, what)));
    return {
      abort() {
        aborted = true;
        req?.destroy();
      },
    };
  }
}
