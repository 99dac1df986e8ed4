// Content-Type checks and Accept negotiation (semantics.md §0.2, clients.md §3.7).

export const APPLICATION_JSON = "application/json";
export const APPLICATION_PROTOBUF = "application/x-protobuf";
export const APPLICATION_RECORDIO = "application/recordio";

/** The bare `type/subtype` of a Content-Type value, lower-cased, parameters dropped. */
export function bareMediaType(header: string): string {
  return (header.split(";")[0] ?? "").trim().toLowerCase();
}

/** What a request body claims to be. Mesos compares the exact string; parameters are tolerated here. */
export type RequestEncoding = "json" | "protobuf" | "other";

export function requestEncoding(contentType: string): RequestEncoding {
  const bare = bareMediaType(contentType);
  if (bare === APPLICATION_JSON) return "json";
  if (bare === APPLICATION_PROTOBUF) return "protobuf";
  return "other";
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(",")) {
    const [range, ...params] = part.split(";");
    const [type, subtype] = (range ?? "").trim().toLowerCase().split("/");
    if (!type || !subtype) continue;
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split("=").map((s) => s.trim());
      if (k?.toLowerCase() === "q" && v !== undefined) {
        const parsed = Number(v);
        q = Number.isFinite(parsed) ? parsed : 0;
      }
    }
    ranges.push({ type, subtype, q });
  }
  return ranges;
}

/**
 * True when an `Accept` header allows `mediaType`: a missing header allows everything; otherwise
 * the most specific matching range decides, and q=0 refuses (RFC 9110 §12.5.1).
 */
export function accepts(acceptHeader: string | undefined, mediaType: string): boolean {
  if (acceptHeader === undefined || acceptHeader.trim() === "") return true;
  const [type, subtype] = mediaType.toLowerCase().split("/");
  let best: { specificity: number; q: number } | undefined;
  for (const r of parseAccept(acceptHeader)) {
    let specificity: number;
    if (r.type === type && r.subtype === subtype) specificity = 2;
    else if (r.type === type && r.subtype === "*") specificity = 1;
    else if (r.type === "*" && r.subtype === "*") specificity = 0;
    else continue;
    if (best === undefined || specificity > best.specificity) best = { specificity, q: r.q };
  }
  return best !== undefined && best.q > 0;
}

/** How a response body is encoded. Only JSON is implemented; protobuf answers 406. */
export type ResponseEncoding =
  /** `Content-Type: application/json` — what Mesos sends. */
  | { kind: "json" }
  /**
   * `Content-Type: application/recordio` + `Message-Content-Type: application/json`, for streams
   * requested that way (mesos-go's streaming calls); never chosen when plain JSON is acceptable.
   */
  | { kind: "recordio-json" };

/** The encoding of a non-streaming response, or undefined for 406. */
export function negotiateResponse(acceptHeader: string | undefined): ResponseEncoding | undefined {
  return accepts(acceptHeader, APPLICATION_JSON) ? { kind: "json" } : undefined;
}

/** The encoding of a RecordIO stream, or undefined for 406. */
export function negotiateStream(
  acceptHeader: string | undefined,
  messageAcceptHeader: string | undefined,
): ResponseEncoding | undefined {
  if (accepts(acceptHeader, APPLICATION_JSON)) return { kind: "json" };
  if (
    accepts(acceptHeader, APPLICATION_RECORDIO) &&
    acceptHeader !== undefined &&
    accepts(messageAcceptHeader, APPLICATION_JSON)
  )
    return { kind: "recordio-json" };
  return undefined;
}

/** Response headers that announce `encoding` (exact strings: mesos-rxjava and mesos-go compare them). */
export function contentTypeHeaders(encoding: ResponseEncoding): Record<string, string> {
  return encoding.kind === "json"
    ? { "Content-Type": APPLICATION_JSON }
    : { "Content-Type": APPLICATION_RECORDIO, "Message-Content-Type": APPLICATION_JSON };
}
