// scheduler.proto Event (semantics.md §1.7), with the proto nesting real clients expect
// (`offers.offers[]`, `error.message`).
import type { Id } from "../messages/ids.ts";
import type { MasterInfo } from "../messages/masterInfo.ts";
import type { InverseOffer, Offer } from "../messages/offer.ts";
import type { OperationStatus } from "../messages/operationStatus.ts";
import type { TaskStatus } from "../messages/taskStatus.ts";

export interface SubscribedEvent {
  type: "SUBSCRIBED";
  subscribed: { framework_id: Id; heartbeat_interval_seconds: number; master_info: MasterInfo };
}

export interface HeartbeatEvent {
  type: "HEARTBEAT";
}

/** The events the state side sends; SUBSCRIBED and HEARTBEAT belong to the stream itself. */
export type FrameworkEvent =
  | { type: "OFFERS"; offers: { offers: Offer[] } }
  | { type: "INVERSE_OFFERS"; inverse_offers: { inverse_offers: InverseOffer[] } }
  | { type: "RESCIND"; rescind: { offer_id: Id } }
  | { type: "RESCIND_INVERSE_OFFER"; rescind_inverse_offer: { inverse_offer_id: Id } }
  | { type: "UPDATE"; update: { status: TaskStatus } }
  | { type: "UPDATE_OPERATION_STATUS"; update_operation_status: { status: OperationStatus } }
  | {
      type: "MESSAGE";
      /** `data` is base64. All three fields are required. */
      message: { agent_id: Id; executor_id: Id; data: string };
    }
  | {
      type: "FAILURE";
      /** Agent removed: `agent_id` only; executor exited: all three (`status` = raw wait status). */
      failure: { agent_id?: Id | undefined; executor_id?: Id | undefined; status?: number | undefined };
    }
  | { type: "ERROR"; error: { message: string } };

export type SchedulerEvent = SubscribedEvent | HeartbeatEvent | FrameworkEvent;
export type SchedulerEventType = SchedulerEvent["type"];
