// Plain HTTP requests for tests of the façade: the whole answer, status, headers and body.
import { type IncomingHttpHeaders, request } from "node:http";

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body as received (protobuf answers are not text). */
  bytes: Buffer;
}

export interface HttpRequest {
  method?: string | undefined;
  path: string;
  headers?: Record<string, string> | undefined;
  /** A string or bytes are sent as they are; anything else as JSON. */
  body?: unknown;
}

export function httpRequest(baseUrl: string, req: HttpRequest): Promise<HttpAnswer> {
  const url = new URL(req.path, baseUrl);
  const payload =
    req.body === undefined
      ? undefined
      : typeof req.body === "string" || req.body instanceof Uint8Array
        ? req.body
        : JSON.stringify(req.body);
  return new Promise((resolve, reject) => {
    const r = request(
      url,
      {
        method: req.method ?? (payload === undefined ? "GET" : "POST"),
        headers: {
          ...(payload === undefined ? {} : { "Content-Length": String(Buffer.byteLength(payload)) }),
          ...req.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString("utf8"), bytes });
        });
        res.on("error", reject);
      },
    );
    r.on("error", reject);
    r.end(payload);
  });
}

/** POST a JSON call to the scheduler API. */
export function schedulerCall(
  baseUrl: string,
  call: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return httpRequest(baseUrl, {
    path: "/api/v1/scheduler",
    headers: { "Content-Type": "application/json", ...headers },
    body: call,
  });
}

/** POST a JSON call to the operator API. */
export function operatorCall(
  baseUrl: string,
  call: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return httpRequest(baseUrl, {
    path: "/api/v1",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
    body: call,
  });
}
