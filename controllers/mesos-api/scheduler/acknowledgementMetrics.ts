// The master's acknowledgement counters (src/master/metrics.cpp): every ACKNOWLEDGE and
// ACKNOWLEDGE_OPERATION_STATUS is counted valid or invalid by Master::acknowledge and
// Master::acknowledgeOperationStatus, and a call that fails validation is counted invalid
// (Metrics::incrementInvalidSchedulerCalls).

/** How the master judged an ACKNOWLEDGE (the backend decides; see Master::acknowledge). */
export type AcknowledgeValidity = "valid" | "invalid";

/**
 * How the master judged an ACKNOWLEDGE_OPERATION_STATUS. Mesos counts an acknowledgement of a
 * status the operation never had on `invalid_status_update_acknowledgements` (the task counter,
 * not the operation one); "unknown status" keeps that quirk.
 */
export type AcknowledgeOperationValidity = "valid" | "invalid" | "unknown status";

export const ACKNOWLEDGEMENT_COUNTERS = [
  "master/valid_status_update_acknowledgements",
  "master/invalid_status_update_acknowledgements",
  "master/valid_operation_status_update_acknowledgements",
  "master/invalid_operation_status_update_acknowledgements",
] as const;
export type AcknowledgementCounter = (typeof ACKNOWLEDGEMENT_COUNTERS)[number];

export function acknowledgeCounter(outcome: AcknowledgeValidity): AcknowledgementCounter {
  return outcome === "valid"
    ? "master/valid_status_update_acknowledgements"
    : "master/invalid_status_update_acknowledgements";
}

export function acknowledgeOperationCounter(outcome: AcknowledgeOperationValidity): AcknowledgementCounter {
  if (outcome === "valid") return "master/valid_operation_status_update_acknowledgements";
  if (outcome === "unknown status") return "master/invalid_status_update_acknowledgements";
  return "master/invalid_operation_status_update_acknowledgements";
}

/** The counter a call of this type that failed validation bumps, if any. */
export function invalidCallCounter(callType: string | undefined): AcknowledgementCounter | undefined {
  if (callType === "ACKNOWLEDGE") return "master/invalid_status_update_acknowledgements";
  if (callType === "ACKNOWLEDGE_OPERATION_STATUS")
    return "master/invalid_operation_status_update_acknowledgements";
  return undefined;
}
