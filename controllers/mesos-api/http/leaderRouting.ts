// Only the leader serves the API (semantics.md §1.2 #2, clients.md §3.9): a follower answers 307
// to the leader, or 503 when no leader is known.
//
// The Location is `http://<leader host>:<port>` with no path, not Mesos's protocol-relative
// `//host:port/<path>`: mesoshttp uses the Location verbatim as its base URL and appends
// /api/v1/scheduler itself, while mesos-framework, pymesos, mesos-go and mesos-rxjava only take
// host and port from it (clients.md §3.4, §3.9).
import type { Leadership } from "../backend.ts";

export type LeaderRoute =
  | { serve: true }
  | { serve: false; status: 307; location: string }
  | { serve: false; status: 503; message: string };

export function leaderUrl(leader: { hostname: string; port: number }): string {
  const host = leader.hostname.includes(":") ? `[${leader.hostname}]` : leader.hostname;
  return `http://${host}:${leader.port}`;
}

export function routeToLeader(leadership: Leadership): LeaderRoute {
  if (leadership.leading) return { serve: true };
  if (leadership.leader === undefined) return { serve: false, status: 503, message: "No leader elected" };
  return { serve: false, status: 307, location: leaderUrl(leadership.leader) };
}
