// Repairs for calls that real clients get wrong in ways real Mesos happens to tolerate or that
// the Mesos documentation itself taught them (clients.md §3.1, semantics.md §1.10). Applied to
// the raw JSON before it is parsed, and only where the intended call is unambiguous:
//
// - REQUEST with `requests` at the top level (the docs' example; mesos-framework) → `request.requests`;
// - SHUTDOWN whose body sits under `kill` (mesos-framework bug) → `shutdown`;
// - REVIVE/SUPPRESS with `role` (the docs' example) instead of `roles` → `roles`.

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function absent(v: unknown): boolean {
  return v === undefined || v === null;
}

export function repairClientQuirks(input: unknown): unknown {
  if (!isObject(input)) return input;
  const call: Json = { ...input };
  if (call.type === "REQUEST" && absent(call.request) && !absent(call.requests)) {
    call.request = { requests: call.requests };
  }
  if (call.type === "SHUTDOWN" && absent(call.shutdown) && isObject(call.kill)) {
    call.shutdown = call.kill;
    delete call.kill;
  }
  for (const key of ["revive", "suppress"] as const) {
    const body = call[key];
    if (call.type === key.toUpperCase() && isObject(body) && absent(body.roles) && !absent(body.role)) {
      const { role, ...rest } = body;
      call[key] = { ...rest, roles: role };
    }
  }
  return call;
}
