// Events for a Framework's phase changes, on the Framework.
import type { Framework, FrameworkPhase } from "../api/index.ts";
import { refOf, type TransitionEvent } from "../task/transitionEvent.ts";
import type { PhaseDecision } from "./frameworkPhase.ts";

const ACTIONS: Record<FrameworkPhase, string> = {
  Registered: "Register",
  Active: "Subscribe",
  Disconnected: "Disconnect",
  Completed: "Teardown",
};

/** An event when the phase changes (undefined when it stays). */
export function frameworkPhaseEvent(fw: Framework, decision: PhaseDecision): TransitionEvent | undefined {
  const before = fw.status?.phase;
  if (before === decision.phase) return undefined;
  return {
    type: decision.phase === "Active" || decision.phase === "Registered" ? "Normal" : "Warning",
    reason: `Framework${decision.phase}`,
    action: ACTIONS[decision.phase],
    note: `${before ?? "New"} → ${decision.phase} (${decision.reason}): ${decision.message}`.slice(0, 1024),
    regarding: refOf(fw),
  };
}
