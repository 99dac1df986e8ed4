// MasterInfo (mesos.proto), sent in SUBSCRIBED and GET_MASTER. `ip` is the IPv4 address as a
// uint32 in network byte order read as little-endian, the way Mesos fills it.
import type { Address, DomainInfo } from "./offer.ts";

export interface MasterInfo {
  id: string;
  ip: number;
  port: number;
  pid?: string | undefined;
  hostname?: string | undefined;
  version?: string | undefined;
  address?: Address | undefined;
  domain?: DomainInfo | undefined;
  capabilities?: { type: "AGENT_UPDATE" | "AGENT_DRAINING" | "QUOTA_V2" }[] | undefined;
}

/** The uint32 Mesos puts in MasterInfo.ip for a dotted IPv4 address (0 when not IPv4). */
export function masterInfoIp(ipv4: string): number {
  const parts = ipv4.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return 0;
  const [a, b, c, d] = parts as [number, number, number, number];
  // in_addr.s_addr (network order) read as a host-order (little-endian) integer.
  return ((d << 24) >>> 0) + (c << 16) + (b << 8) + a;
}
