// OperationStatus (semantics.md §2.8) for UPDATE_OPERATION_STATUS events. Unlike TaskStatus, its
// uuid is a UUID message `{"value": <base64>}`.
import type { Id } from "./ids.ts";
import type { Resource } from "./resource.ts";

export const OPERATION_STATES = [
  "OPERATION_UNSUPPORTED",
  "OPERATION_PENDING",
  "OPERATION_FINISHED",
  "OPERATION_FAILED",
  "OPERATION_ERROR",
  "OPERATION_DROPPED",
  "OPERATION_UNREACHABLE",
  "OPERATION_GONE_BY_OPERATOR",
  "OPERATION_RECOVERING",
  "OPERATION_UNKNOWN",
] as const;
export type OperationState = (typeof OPERATION_STATES)[number];

export interface OperationStatus {
  operation_id?: Id | undefined;
  state: OperationState;
  message?: string | undefined;
  converted_resources?: Resource[] | undefined;
  uuid?: { value: string } | undefined;
  agent_id?: Id | undefined;
  resource_provider_id?: Id | undefined;
}
