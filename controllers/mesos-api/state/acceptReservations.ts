// The RESERVE and UNRESERVE operations of a scheduler's ACCEPT (semantics.md §2.1). They are
// validated as the master does (reservation role = the offer's allocation role and one of the
// framework's roles, principal = FrameworkInfo.principal), applied to the accepted offers in the
// leader's allocator before the ACCEPT's launches (which then use the reshaped offer), and
// persisted on the agent's Node. Operations with an `id` get UPDATE_OPERATION_STATUS:
// OPERATION_ERROR for an invalid one (as the master answers it, once), OPERATION_FINISHED once the
// change is recorded, OPERATION_FAILED if it could not be (both reliable: retried until
// acknowledged, scheduler/operationStatusUpdates.ts).

import type { AllocationAccess, ReservationOperation } from "../../allocation/allocationLoop.ts";
import type { Logger } from "../../logging.ts";
import type { OfferOperation } from "../messages/offerOperation.ts";
import type { OperationStatus } from "../messages/operationStatus.ts";
import { reservationResources, reserveError, unreserveError } from "../messages/reservationValidation.ts";
import { toWireResources } from "../messages/resourceConversion.ts";
import type { ReservationChanges } from "./reservationChanges.ts";

export interface AcceptReservationsInput {
  frameworkId: string;
  /** The accepted offers, already known valid (outstanding, this framework's, one agent). */
  offerIds: readonly string[];
  agentId: string;
  /** The agent as the master names it in messages: `<id> at slave(1)@<ip>:5051 (<hostname>)`. */
  agentDescription: string;
  /** The offers' allocation role. */
  role: string;
  framework: { principal?: string | undefined; roles: readonly string[] };
  operations: readonly OfferOperation[];
}

export interface AcceptReservationsDeps {
  access: AllocationAccess;
  reservations: Pick<ReservationChanges, "persist">;
  /** An operation refused (OPERATION_ERROR, sent once when it has an id). */
  dropped(op: OfferOperation, message: string): void;
  /** An operation carried out (or not) on the agent: its terminal status, reliable when it has an id. */
  applied(
    op: OfferOperation,
    status: Pick<OperationStatus, "state" | "message" | "converted_resources">,
  ): void;
  /** The reshaped offer, at once (before any await): it must never be sent on the stream. */
  claim(offerId: string): void;
  log: Logger;
}

const isReservation = (op: OfferOperation): boolean => op.type === "RESERVE" || op.type === "UNRESERVE";

export function hasReservationOperations(operations: readonly OfferOperation[]): boolean {
  return operations.some(isReservation);
}

/**
 * Applies the ACCEPT's RESERVE / UNRESERVE operations. Returns the offers its launches use: one
 * reshaped offer when any operation was applied, else the accepted offers unchanged.
 */
export async function applyAcceptReservations(
  input: AcceptReservationsInput,
  deps: AcceptReservationsDeps,
): Promise<{ offerIds: string[] }> {
  const unchanged = { offerIds: [...input.offerIds] };
  const errorStatus = (op: OfferOperation, message: string): void => deps.dropped(op, message);
  // Master::accept names the agent after a RESERVE/UNRESERVE validation error.
  const onAgent = (error: string | undefined): string | undefined =>
    error === undefined ? undefined : `${error}; on agent ${input.agentDescription}`;
  const valid: { op: OfferOperation; call: ReservationOperation }[] = [];
  for (const op of input.operations) {
    if (op.type === "RESERVE") {
      const reserve = op.reserve;
      const error =
        reserve === undefined
          ? "Expecting 'reserve' to be present"
          : reserve.source.length > 0
            ? // Mesos 1.11 accepts reservation updates from operators only (Master::accept).
              "Operation attempted with invalid resources: Reservation updates are not yet implemented for the scheduler API."
            : onAgent(
                reserveError(reserve.resources, {
                  principal: input.framework.principal,
                  framework: { roles: input.framework.roles, allocationRole: input.role },
                }),
              );
      if (error !== undefined) errorStatus(op, error);
      else valid.push({ op, call: { type: "RESERVE", resources: reservationResources(reserve!.resources) } });
    } else if (op.type === "UNRESERVE") {
      const unreserve = op.unreserve;
      const error =
        unreserve === undefined
          ? "Expecting 'unreserve' to be present"
          : onAgent(unreserveError(unreserve.resources));
      if (error !== undefined) errorStatus(op, error);
      else
        valid.push({
          op,
          call: { type: "UNRESERVE", resources: reservationResources(unreserve!.resources) },
        });
    }
  }
  if (valid.length === 0) return unchanged;
  const result = deps.access.reshapeOffers(
    input.frameworkId,
    input.offerIds,
    valid.map((v) => v.call),
  );
  if (result.offer === undefined) {
    for (const v of valid) errorStatus(v.op, result.error ?? "The offers are no longer valid");
    return unchanged;
  }
  deps.claim(result.offer.id);
  const failed = new Map(result.operationErrors.map((e) => [e.index, e.message]));
  valid.forEach((v, i) => {
    const message = failed.get(i);
    if (message !== undefined) errorStatus(v.op, message);
  });
  const applied = valid.filter((_v, i) => !failed.has(i));
  if (applied.length > 0) {
    let persisted: string | undefined;
    try {
      await deps.reservations.persist(input.agentId);
    } catch (err) {
      persisted = err instanceof Error ? err.message : String(err);
      deps.log.error(
        { err, agentId: input.agentId },
        "dynamic reservations of an ACCEPT could not be recorded",
      );
    }
    for (const { op, call } of applied) {
      const converted = call.type === "RESERVE" ? call.resources : call.resources.popReservation();
      deps.applied(
        op,
        persisted === undefined
          ? {
              state: "OPERATION_FINISHED",
              converted_resources: toWireResources(converted, {
                refinement: true,
                allocationRole: input.role,
              }),
            }
          : { state: "OPERATION_FAILED", message: `The reservation could not be recorded: ${persisted}` },
      );
    }
  }
  return { offerIds: [result.offer.id] };
}
