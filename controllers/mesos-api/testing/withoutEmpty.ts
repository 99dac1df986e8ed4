// Comparing a message's JSON shape with its protobuf round trip: an empty list or map is absent
// on the protobuf wire (and an empty sub-message decodes as {}), so both sides are compared
// without empty lists, empty objects and nulls.

export function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const inner = withoutEmpty(v);
    if (inner === undefined || inner === null) continue;
    if (typeof inner === "object" && Object.keys(inner).length === 0) continue;
    out[key] = inner;
  }
  return out;
}
