// Where an informer gets its objects: paged LISTs and WATCH streams of one resource. The informer
// holds the logic (resourceVersions, relists, backoff, watchdog); a source only moves bytes, so the
// informer can be unit-tested against a scripted source and run against the API server unchanged.
import { z } from "zod";
import type { KubeError } from "./kubeErrors.ts";
import type { KubeHttp } from "./kubeHttp.ts";

export interface ListPage {
  /** Raw objects, not yet decoded. */
  items: unknown[];
  /** The list's resourceVersion: watch from here to see every later change. */
  resourceVersion: string;
  /** Set when more pages follow. */
  continueToken?: string | undefined;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface RawWatchEvent {
  type: WatchEventType;
  /** The object (a Status for ERROR), not yet decoded. */
  object: unknown;
}

export interface WatchRequest {
  resourceVersion: string;
  /** The server closes the watch after this long; the informer re-watches from the last version. */
  timeoutSeconds: number;
}

export interface WatchHandle {
  stop(): void;
}

export interface ListWatchSource {
  /** For logs and metrics, e.g. "/api/v1/pods". */
  readonly description: string;
  list(limit: number, continueToken: string | undefined): Promise<ListPage>;
  /**
   * Starts a watch and returns at once. `onClose(undefined)` = normal end by the server; any
   * failure (HTTP error on open, broken stream, malformed event) = `onClose(err)`. Neither callback
   * fires after `stop()`.
   */
  watch(
    request: WatchRequest,
    onEvent: (event: RawWatchEvent) => void,
    onClose: (err: KubeError | undefined) => void,
  ): WatchHandle;
}

const ListSchema = z.object({
  metadata: z
    .looseObject({ resourceVersion: z.string().optional(), continue: z.string().optional() })
    .optional(),
  items: z.array(z.unknown()).nullish(),
});

const WatchEventSchema = z.object({
  type: z.enum(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]),
  object: z.unknown(),
});

export interface KubeSourceOptions {
  /** Collection path, e.g. "/api/v1/pods" or "/apis/mesos.operator.dev/v1alpha1/tasks". */
  path: string;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  /** Per LIST page. */
  listTimeoutMs?: number;
}

/** A source backed by the API server. */
export function kubeListWatchSource(http: KubeHttp, opts: KubeSourceOptions): ListWatchSource {
  const selectors = {
    labelSelector: opts.labelSelector || undefined,
    fieldSelector: opts.fieldSelector || undefined,
  };
  const description = opts.path + (opts.labelSelector ? `?labelSelector=${opts.labelSelector}` : "");
  return {
    description,
    async list(limit, continueToken) {
      const raw = await http.getJson(
        opts.path,
        { ...selectors, limit, continue: continueToken },
        opts.listTimeoutMs ?? 60_000,
      );
      const list = ListSchema.parse(raw);
      return {
        items: list.items ?? [],
        resourceVersion: list.metadata?.resourceVersion ?? "",
        continueToken: list.metadata?.continue || undefined,
      };
    },
    watch(request, onEvent, onClose) {
      let stream: { abort(): void } | undefined;
      stream = http.watch(
        opts.path,
        {
          ...selectors,
          resourceVersion: request.resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: request.timeoutSeconds,
        },
        {
          onLine(value) {
            const ev = WatchEventSchema.safeParse(value);
            if (ev.success) onEvent(ev.data);
            // Unknown event types are skipped rather than fatal: a newer server may add some.
          },
          onClose(err) {
            stream = undefined;
            onClose(err);
          },
        },
      );
      return {
        stop() {
          stream?.abort();
          stream = undefined;
        },
      };
    },
  };
}
