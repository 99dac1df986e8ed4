// Turns zod issues into the kind of text Mesos puts in a 400 body, e.g.
// "Missing required fields: subscribe.framework_info.user" (stout reports uninitialized messages
// this way) or "Invalid value at 'accept.filters.refuse_seconds': Expected a number".
import type { z } from "zod";

/** `a.b[0].c` from a zod path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "<root>" : out;
}

function isMissing(issue: z.core.$ZodIssue): boolean {
  return issue.code === "invalid_type" && issue.message.endsWith("received undefined");
}

export function describeParseError(error: z.ZodError): string {
  const missing = error.issues.filter(isMissing).map((i) => fieldPath(i.path));
  if (missing.length > 0) return `Missing required fields: ${missing.join(", ")}`;
  const first = error.issues[0];
  if (first === undefined) return "Invalid message";
  return `Invalid value at '${fieldPath(first.path)}': ${first.message}`;
}
