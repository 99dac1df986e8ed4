// The per-type rules of validation::scheduler::call::validate (semantics.md §1.3). A parsed call
// that passes becomes a ValidatedSchedulerCall: the sub-message of its type is present (REVIVE
// and SUPPRESS default to "all roles") and `frameworkId` is set for every call but a first
// SUBSCRIBE. Failures are the text after "Failed to validate scheduler::Call: ".
import { isUuidBytes } from "../wire/uuid.ts";
import type {
  Accept,
  Acknowledge,
  AcknowledgeOperationStatus,
  Decline,
  FrameworkMessage,
  InverseOffersResponse,
  Kill,
  Reconcile,
  ReconcileOperations,
  Request,
  Roles,
  SchedulerCall,
  Shutdown,
  Subscribe,
  UpdateFramework,
} from "./call.ts";

export type ValidatedSchedulerCall =
  | { type: "SUBSCRIBE"; frameworkId: string | undefined; subscribe: Subscribe }
  | { type: "TEARDOWN"; frameworkId: string }
  | { type: "ACCEPT"; frameworkId: string; accept: Accept }
  | { type: "DECLINE"; frameworkId: string; decline: Decline }
  | { type: "ACCEPT_INVERSE_OFFERS"; frameworkId: string; acceptInverseOffers: InverseOffersResponse }
  | { type: "DECLINE_INVERSE_OFFERS"; frameworkId: string; declineInverseOffers: InverseOffersResponse }
  | { type: "REVIVE"; frameworkId: string; revive: Roles }
  | { type: "SUPPRESS"; frameworkId: string; suppress: Roles }
  | { type: "KILL"; frameworkId: string; kill: Kill }
  | { type: "SHUTDOWN"; frameworkId: string; shutdown: Shutdown }
  | { type: "ACKNOWLEDGE"; frameworkId: string; acknowledge: Acknowledge }
  | {
      type: "ACKNOWLEDGE_OPERATION_STATUS";
      frameworkId: string;
      acknowledgeOperationStatus: AcknowledgeOperationStatus;
    }
  | { type: "RECONCILE"; frameworkId: string; reconcile: Reconcile }
  | { type: "RECONCILE_OPERATIONS"; frameworkId: string; reconcileOperations: ReconcileOperations }
  | { type: "MESSAGE"; frameworkId: string; message: FrameworkMessage }
  | { type: "REQUEST"; frameworkId: string; request: Request }
  | { type: "UPDATE_FRAMEWORK"; frameworkId: string; updateFramework: UpdateFramework }
  | { type: "UNKNOWN"; frameworkId: string };

export type CallValidation = { ok: true; call: ValidatedSchedulerCall } | { ok: false; message: string };

const fail = (message: string): CallValidation => ({ ok: false, message });
const expecting = (field: string): CallValidation => fail(`Expecting '${field}' to be present`);

/** `principal` is the authenticated principal of the request, if authentication is on. */
export function validateSchedulerCall(call: SchedulerCall, principal: string | undefined): CallValidation {
  if (call.type === undefined) return expecting("type");

  if (call.type === "SUBSCRIBE") {
    if (call.subscribe === undefined) return expecting("subscribe");
    const info = call.subscribe.framework_info;
    // Mesos compares the two FrameworkIDs by value, an absent one reading as "".
    if ((info.id?.value ?? "") !== (call.framework_id?.value ?? ""))
      return fail("'framework_id' differs from 'subscribe.framework_info.id'");
    if (principal !== undefined && info.principal !== undefined && principal !== info.principal)
      return fail(
        `Authenticated principal '${principal}' does not match principal '${info.principal}' set in \`FrameworkInfo\``,
      );
    return {
      ok: true,
      call: { type: "SUBSCRIBE", frameworkId: call.framework_id?.value, subscribe: call.subscribe },
    };
  }

  if (call.framework_id === undefined) return expecting("framework_id");
  const frameworkId = call.framework_id.value;
  const ok = (validated: ValidatedSchedulerCall): CallValidation => ({ ok: true, call: validated });

  switch (call.type) {
    case "TEARDOWN":
      return ok({ type: "TEARDOWN", frameworkId });
    case "ACCEPT":
      return call.accept === undefined
        ? expecting("accept")
        : ok({ type: "ACCEPT", frameworkId, accept: call.accept });
    case "DECLINE":
      return call.decline === undefined
        ? expecting("decline")
        : ok({ type: "DECLINE", frameworkId, decline: call.decline });
    case "ACCEPT_INVERSE_OFFERS":
      return call.accept_inverse_offers === undefined
        ? expecting("accept_inverse_offers")
        : ok({ type: "ACCEPT_INVERSE_OFFERS", frameworkId, acceptInverseOffers: call.accept_inverse_offers });
    case "DECLINE_INVERSE_OFFERS":
      return call.decline_inverse_offers === undefined
        ? expecting("decline_inverse_offers")
        : ok({
            type: "DECLINE_INVERSE_OFFERS",
            frameworkId,
            declineInverseOffers: call.decline_inverse_offers,
          });
    case "REVIVE":
      return ok({ type: "REVIVE", frameworkId, revive: call.revive ?? { roles: [] } });
    case "SUPPRESS":
      return ok({ type: "SUPPRESS", frameworkId, suppress: call.suppress ?? { roles: [] } });
    case "KILL":
      return call.kill === undefined ? expecting("kill") : ok({ type: "KILL", frameworkId, kill: call.kill });
    case "SHUTDOWN":
      return call.shutdown === undefined
        ? expecting("shutdown")
        : ok({ type: "SHUTDOWN", frameworkId, shutdown: call.shutdown });
    case "ACKNOWLEDGE":
      if (call.acknowledge === undefined) return expecting("acknowledge");
      if (!isUuidBytes(call.acknowledge.uuid)) return fail("Not a valid UUID");
      return ok({ type: "ACKNOWLEDGE", frameworkId, acknowledge: call.acknowledge });
    case "ACKNOWLEDGE_OPERATION_STATUS": {
      const ack = call.acknowledge_operation_status;
      if (ack === undefined) return expecting("acknowledge_operation_status");
      if (!isUuidBytes(ack.uuid)) return fail("Not a valid UUID");
      if (ack.agent_id === undefined) return expecting("agent_id");
      return ok({ type: "ACKNOWLEDGE_OPERATION_STATUS", frameworkId, acknowledgeOperationStatus: ack });
    }
    case "RECONCILE":
      return call.reconcile === undefined
        ? expecting("reconcile")
        : ok({ type: "RECONCILE", frameworkId, reconcile: call.reconcile });
    case "RECONCILE_OPERATIONS":
      return call.reconcile_operations === undefined
        ? expecting("reconcile_operations")
        : ok({ type: "RECONCILE_OPERATIONS", frameworkId, reconcileOperations: call.reconcile_operations });
    case "MESSAGE":
      return call.message === undefined
        ? expecting("message")
        : ok({ type: "MESSAGE", frameworkId, message: call.message });
    case "REQUEST":
      return call.request === undefined
        ? expecting("request")
        : ok({ type: "REQUEST", frameworkId, request: call.request });
    case "UPDATE_FRAMEWORK": {
      const update = call.update_framework;
      if (update === undefined) return expecting("update_framework");
      if ((update.framework_info.id?.value ?? "") !== frameworkId)
        return fail("'framework_id' differs from 'update_framework.framework_info.id'");
      return ok({ type: "UPDATE_FRAMEWORK", frameworkId, updateFramework: update });
    }
    case "UNKNOWN":
      return ok({ type: "UNKNOWN", frameworkId });
  }
}
