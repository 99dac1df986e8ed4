// Compact, ASCII-only JSON for everything the façade writes.
//
// Why ASCII: RecordIO lengths are byte counts, but mesos-framework compares them with the UTF-16
// length of the decoded string and mesoshttp with the number of decoded characters; a single
// non-ASCII character makes either client wait for bytes that never come and drop the event.
// With every non-ASCII character escaped as \uXXXX, bytes, UTF-16 units and characters agree.
// JSON.stringify already escapes control characters and lone surrogates and never emits raw
// newlines without indentation, so the result is also safe for line-based parsers.

const NON_ASCII = /[\u0080-\uffff]/g;

function escapeCharacter(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

// Mesos's JSON writer emits non-finite doubles (TaskInfo.limits "cpus": Infinity) as strings,
// and its parser reads them back; JSON.stringify would silently write null.
function nonFiniteAsString(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}

/** Serialize `value` as compact JSON containing only ASCII characters. */
export function toAsciiJson(value: unknown): string {
  // V8's JSON.stringify is fastest without a replacer (a 1,000-offer OFFERS event: about twice as
  // fast), and almost every message has neither non-finite numbers nor non-ASCII text. A
  // non-finite number can only have become `null`, and non-ASCII text makes the UTF-8 form longer
  // than the string; only then is the exact (slower) path taken.
  let text = JSON.stringify(value);
  if (text === undefined) throw new TypeError("value has no JSON form");
  if (text.includes("null")) text = JSON.stringify(value, nonFiniteAsString);
  return Buffer.byteLength(text, "utf8") === text.length ? text : text.replace(NON_ASCII, escapeCharacter);
}
