import { describe, expect, it } from "vitest";
import {
  acknowledgeCounter,
  acknowledgeOperationCounter,
  invalidCallCounter,
} from "./acknowledgementMetrics.ts";

describe("acknowledgement counters", () => {
  it("counts task acknowledgements on the status update counters", () => {
    expect(acknowledgeCounter("valid")).toBe("master/valid_status_update_acknowledgements");
    expect(acknowledgeCounter("invalid")).toBe("master/invalid_status_update_acknowledgements");
  });

  it("counts an unknown operation status on the task counter, as Mesos does", () => {
    expect(acknowledgeOperationCounter("valid")).toBe(
      "master/valid_operation_status_update_acknowledgements",
    );
    expect(acknowledgeOperationCounter("invalid")).toBe(
      "master/invalid_operation_status_update_acknowledgements",
    );
    expect(acknowledgeOperationCounter("unknown status")).toBe(
      "master/invalid_status_update_acknowledgements",
    );
  });

  it("counts calls that fail validation only for the two acknowledgement calls", () => {
    expect(invalidCallCounter("ACKNOWLEDGE")).toBe("master/invalid_status_update_acknowledgements");
    expect(invalidCallCounter("ACKNOWLEDGE_OPERATION_STATUS")).toBe(
      "master/invalid_operation_status_update_acknowledgements",
    );
    expect(invalidCallCounter("KILL")).toBeUndefined();
    expect(invalidCallCounter(undefined)).toBeUndefined();
  });
});
