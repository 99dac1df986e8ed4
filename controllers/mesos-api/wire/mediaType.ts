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

/** The encoding of one message: Mesos's JSON mapping or binary protobuf. */
export type MessageEncoding = "json" | "protobuf";

/** How a response body is encoded. */
export type ResponseEncoding =
  /** `Content-Type: application/json` or `application/x-protobuf`: the message type itself. */
  | { kind: "plain"; message: MessageEncoding }
  /**
   * `Content-Type: application/recordio` + `Message-Content-Type: <message type>`, for streams
   * requested that way (mesos-go's streaming calls); never chosen when a plain type is acceptable.
   */
  | { kind: "recordio"; message: MessageEncoding };

export const JSON_RESPONSE: ResponseEncoding = { kind: "plain", message: "json" };

const MEDIA_TYPES: Record<MessageEncoding, string> = {
  json: APPLICATION_JSON,
  protobuf: APPLICATION_PROTOBUF,
};

/** What Mesos answers when neither message type is acceptable. */
export const NOT_ACCEPTABLE_MESSAGE =
  "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'";

/**
 * The message type an `Accept`-like header allows: JSON first (a missing header and *\/* allow
 * it), then protobuf, as Master::Http::api and ::scheduler choose (semantics.md §0.2).
 */
function acceptedMessage(header: string | undefined): MessageEncoding | undefined {
  if (accepts(header, APPLICATION_JSON)) return "json";
  if (accepts(header, APPLICATION_PROTOBUF)) return "protobuf";
  return undefined;
}

/** The encoding of a non-streaming response, or undefined for 406. */
export function negotiateResponse(acceptHeader: string | undefined): ResponseEncoding | undefined {
  const message = acceptedMessage(acceptHeader);
  return message === undefined ? undefined : { kind: "plain", message };
}

/**
 * The encoding of a RecordIO stream, or undefined for 406. A plain message type when `Accept`
 * allows one; otherwise, when `Accept` names `application/recordio`, the message type
 * `Message-Accept` allows (JSON first; a missing header allows JSON), as the Mesos agent API
 * negotiates its streaming calls (src/slave/http.cpp).
 */
export function negotiateStream(
  acceptHeader: string | undefined,
  messageAcceptHeader: string | undefined,
): ResponseEncoding | undefined {
  const plain = negotiateResponse(acceptHeader);
  if (plain !== undefined) return plain;
  if (acceptHeader === undefined || !accepts(acceptHeader, APPLICATION_RECORDIO)) return undefined;
  const message = acceptedMessage(messageAcceptHeader);
  return message === undefined ? undefined : { kind: "recordio", message };
}

/** Response headers that announce `encoding` (exact strings: mesos-rxjava and mesos-go compare them). */
export function contentTypeHeaders(encoding: ResponseEncoding): Record<string, string> {
  const message = MEDIA_TYPES[encoding.message];
  return encoding.kind === "plain"
    ? { "Content-Type": message }
    : { "Content-Type": APPLICATION_RECORDIO, "Message-Content-Type": message };
}
