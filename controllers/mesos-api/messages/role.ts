// master.proto GetRoles.Role, with the figures the legacy /master/roles shows beside it.
import type { Id } from "./ids.ts";
import type { QuotaConfig } from "./quota.ts";
import type { Resource } from "./resource.ts";

export interface RoleState {
  name: string;
  weight: number;
  frameworks: Id[];
  /** Allocated and offered (the deprecated `resources` of GetRoles.Role and of /roles). */
  resources: Resource[];
  allocated: Resource[];
  offered: Resource[];
  reserved: Resource[];
  /** Configured quota, if any. */
  quota?: QuotaConfig | undefined;
  /** Quota consumption: reservations plus unreserved allocations (semantics.md §4.3). */
  consumed_quota?: Resource[] | undefined;
}
