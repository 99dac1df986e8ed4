// One error type for everything that comes back from the API server, whichever way it was called.
// client-node's ApiException carries the HTTP code and the response body as a *raw string*
// (ts-ecosystem.md §1.2); our own list/watch transport gets the same Status JSON. Both become a
// KubeError with the Status `reason` (NotFound, Conflict, AlreadyExists, Expired, ...) so callers
// branch on a name instead of re-parsing bodies.
import { ApiException } from "@kubernetes/client-node";
import { z } from "zod";

/** The parts of a metav1.Status the operator reads. */
export const StatusSchema = z.looseObject({
  kind: z.literal("Status").optional(),
  status: z.string().optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  code: z.number().int().optional(),
  details: z
    .looseObject({
      name: z.string().optional(),
      kind: z.string().optional(),
      causes: z
        .array(z.looseObject({ reason: z.string().optional(), message: z.string().optional() }))
        .optional(),
    })
    .optional(),
});
export type Status = z.infer<typeof StatusSchema>;

/** Reasons we give errors that never reached the API server or could not be read. */
export type LocalReason = "NetworkError" | "Timeout" | "Aborted" | "DecodeError";

export class KubeError extends Error {
  override readonly name = "KubeError";
  /**
   * @param code HTTP status; 0 when there was no HTTP response (network error, timeout, abort).
   * @param reason metav1.Status reason (NotFound, Conflict, AlreadyExists, Invalid, Expired, Gone,
   *   ...) or a LocalReason; falls back to the HTTP status text when the body had none.
   */
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly status?: Status,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const REASON_BY_CODE: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  410: "Gone",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

/** A KubeError from an HTTP status and the response body text (a Status when the server sent one). */
export function kubeErrorFromResponse(code: number, body: string | undefined, what: string): KubeError {
  let status: Status | undefined;
  if (body) {
    try {
      const parsed = StatusSchema.safeParse(JSON.parse(body));
      if (parsed.success) status = parsed.data;
    } catch {
      // Not JSON (a proxy's HTML page, say): keep the text as the message.
    }
  }
  const reason = status?.reason || REASON_BY_CODE[code] || `HTTP${code}`;
  const message = status?.message ?? (body?.trim().slice(0, 500) || `HTTP ${code}`);
  return new KubeError(code, reason, `${what}: ${message}`, status);
}

/** A KubeError from a watch ERROR event, whose object is a Status. */
export function kubeErrorFromStatus(status: Status, what: string): KubeError {
  const code = status.code ?? 500;
  const reason = status.reason || REASON_BY_CODE[code] || `HTTP${code}`;
  return new KubeError(code, reason, `${what}: ${status.message ?? reason}`, status);
}

/**
 * Converts whatever a client-node call or our transport threw into a KubeError. `what` names the
 * operation for the message ("create pod ns/name").
 */
export function toKubeError(err: unknown, what: string): KubeError {
  if (err instanceof KubeError) return err;
  if (err instanceof ApiException) {
    const body: unknown = err.body;
    return kubeErrorFromResponse(err.code, typeof body === "string" ? body : undefined, what);
  }
  if (err instanceof Error) {
    if (err.name === "AbortError")
      return new KubeError(0, "Aborted", `${what}: aborted`, undefined, { cause: err });
    if (err.name === "TimeoutError") {
      return new KubeError(0, "Timeout", `${what}: timed out`, undefined, { cause: err });
    }
    return new KubeError(0, "NetworkError", `${what}: ${err.message}`, undefined, { cause: err });
  }
  return new KubeError(0, "NetworkError", `${what}: ${String(err)}`, undefined, { cause: err });
}

export const isNotFound = (err: unknown): boolean => err instanceof KubeError && err.code === 404;
/** 403: RBAC refused the request (the message names the user, verb, resource and namespace). */
export const isForbidden = (err: unknown): boolean => err instanceof KubeError && err.code === 403;
export const isConflict = (err: unknown): boolean =>
  err instanceof KubeError && err.code === 409 && err.reason !== "AlreadyExists";
export const isAlreadyExists = (err: unknown): boolean =>
  err instanceof KubeError && err.code === 409 && err.reason === "AlreadyExists";
/** 410: a watch or list continue token asked for a resourceVersion the server no longer has. */
export const isGone = (err: unknown): boolean =>
  err instanceof KubeError && (err.code === 410 || err.reason === "Expired" || err.reason === "Gone");
