// POST /api/v1/scheduler (and /master/api/v1/scheduler): the checks and status codes of
// Master::Http::scheduler in its order (semantics.md §1.2), SUBSCRIBE streams, and dispatch of
// every other call to the backend (202, or 200 for UPDATE_FRAMEWORK).

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Authorizer } from "../authorization/aclsFile.ts";
import { registrationRefusal } from "../authorization/callAuthorization.ts";
import { authorizeLaunches } from "../authorization/launchAuthorization.ts";
import { authorizeAcceptReservations } from "../authorization/reservationAuthorization.ts";
import type { MesosBackend, RegisteredFramework } from "../backend.ts";
import { type AdmissionContext, admitApiCall } from "../http/apiAdmission.ts";
import type { ApiMetrics } from "../http/apiMetrics.ts";
import type { ApiLogger } from "../http/logger.ts";
import type { IntervalTimers } from "../http/recordIoStream.ts";
import { replyText } from "../http/replies.ts";
import { noteCallType } from "../http/requestMetrics.ts";
import { v1MasterInfo } from "../messages/v1MasterInfo.ts";
import { NOT_ACCEPTABLE_MESSAGE, negotiateStream, type ResponseEncoding } from "../wire/mediaType.ts";
import { describeParseError } from "../wire/parseError.ts";
import { MESOS_MESSAGES } from "../wire/protobufCodec.ts";
import {
  acknowledgeCounter,
  acknowledgeOperationCounter,
  invalidCallCounter,
} from "./acknowledgementMetrics.ts";
import { SchedulerCallSchema } from "./call.ts";
import { type ValidatedSchedulerCall, validateSchedulerCall } from "./callValidation.ts";
import { repairClientQuirks } from "./clientQuirks.ts";
import { FrameworkStreams } from "./frameworkStreams.ts";
import { FrameworkSubscription } from "./frameworkSubscription.ts";

export interface SchedulerApiOptions {
  admission: AdmissionContext;
  heartbeatSeconds: number;
  timers: IntervalTimers;
  maxBufferedBytes: number;
  metrics: ApiMetrics;
  log: ApiLogger;
  /** Checks register_frameworks on SUBSCRIBE and UPDATE_FRAMEWORK; undefined: no ACLs, no checks. */
  authorizer?: Authorizer | undefined;
}

type NonSubscribeCall = Exclude<ValidatedSchedulerCall, { type: "SUBSCRIBE" }>;

/** The `master/messages_*` counter Mesos bumps for each call type. */
const MESSAGE_COUNTERS: Partial<Record<ValidatedSchedulerCall["type"], string>> = {
  TEARDOWN: "master/messages_unregister_framework",
  ACCEPT: "master/messages_launch_tasks",
  DECLINE: "master/messages_decline_offers",
  REVIVE: "master/messages_revive_offers",
  SUPPRESS: "master/messages_suppress_offers",
  KILL: "master/messages_kill_task",
  ACKNOWLEDGE: "master/messages_status_update_acknowledgement",
  ACKNOWLEDGE_OPERATION_STATUS: "master/messages_operation_status_update_acknowledgement",
  RECONCILE: "master/messages_reconcile_tasks",
  RECONCILE_OPERATIONS: "master/messages_reconcile_operations",
  MESSAGE: "master/messages_framework_to_executor",
  REQUEST: "master/messages_resource_request",
  UPDATE_FRAMEWORK: "master/messages_update_framework",
};

export class SchedulerApi {
  readonly streams = new FrameworkStreams();

  constructor(private readonly options: SchedulerApiOptions) {}

  private get backend(): MesosBackend {
    return this.options.admission.backend;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const admitted = await admitApiCall(req, res, this.options.admission, MESOS_MESSAGES.schedulerCall);
    if (admitted === undefined) return;

    const parsed = SchedulerCallSchema.safeParse(repairClientQuirks(admitted.json));
    if (!parsed.success) {
      replyText(res, 400, `Failed to convert JSON into Call protobuf: ${describeParseError(parsed.error)}`);
      return;
    }
    noteCallType(res, parsed.data.type ?? "UNKNOWN");
    const validation = validateSchedulerCall(parsed.data, admitted.principal);
    if (!validation.ok) {
      const invalid = invalidCallCounter(parsed.data.type);
      if (invalid !== undefined) this.options.metrics.increment(invalid);
      replyText(res, 400, `Failed to validate scheduler::Call: ${validation.message}`);
      return;
    }
    const call = validation.call;

    if (call.type === "SUBSCRIBE") {
      const encoding = negotiateStream(req.headers.accept, header(req, "message-accept"));
      if (encoding === undefined) {
        replyText(res, 406, NOT_ACCEPTABLE_MESSAGE);
        return;
      }
      if (header(req, "mesos-stream-id") !== undefined) {
        replyText(res, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
        return;
      }
      await this.subscribe(res, call, admitted.principal, encoding);
      return;
    }

    const framework = this.backend.registeredFramework(call.frameworkId);
    if (framework === undefined) {
      replyText(res, 400, "Framework cannot be found");
      return;
    }
    if (admitted.principal !== undefined && admitted.principal !== (framework.principal ?? "")) {
      replyText(
        res,
        400,
        `Authenticated principal '${admitted.principal}' does not match principal '${framework.principal ?? ""}' set in \`FrameworkInfo\``,
      );
      return;
    }
    const subscription = this.streams.get(call.frameworkId);
    if (subscription === undefined) {
      replyText(res, 403, "Framework is not subscribed");
      return;
    }
    const streamId = header(req, "mesos-stream-id");
    if (streamId === undefined) {
      replyText(res, 400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
      return;
    }
    if (streamId !== subscription.streamId) {
      replyText(
        res,
        400,
        `The stream ID '${streamId}' included in this request didn't match the stream ID currently associated with framework ID ${call.frameworkId}`,
      );
      return;
    }
    if (
      call.type === "RECONCILE_OPERATIONS" &&
      negotiateStream(req.headers.accept, undefined) === undefined
    ) {
      replyText(res, 406, NOT_ACCEPTABLE_MESSAGE);
      return;
    }
    if (call.type === "UNKNOWN") {
      replyText(res, 501);
      return;
    }

    this.options.metrics.frameworkCall(call.frameworkId, call.type);
    if (call.type === "ACCEPT")
      this.options.metrics.frameworkOperations(
        call.frameworkId,
        (call.accept.operations ?? []).map((o) => o.type ?? "UNKNOWN"),
      );
    const counter = MESSAGE_COUNTERS[call.type];
    if (counter !== undefined) this.options.metrics.increment(counter);
    try {
      await this.dispatch(res, call, admitted.principal, framework);
    } catch (error) {
      this.options.log.error(
        { err: error, call: call.type, frameworkId: call.frameworkId },
        "backend failed",
      );
      if (!res.headersSent) replyText(res, 503, "The master's state is unavailable; retry");
    }
  }

  private async dispatch(
    res: ServerResponse,
    call: NonSubscribeCall,
    principal: string | undefined,
    framework: RegisteredFramework,
  ): Promise<void> {
    const id = call.frameworkId;
    const b = this.backend;
    switch (call.type) {
      case "TEARDOWN":
        await b.teardown(id);
        break;
      case "ACCEPT": {
        const reservations = await authorizeAcceptReservations(
          this.options.authorizer,
          call.accept,
          framework.principal,
        );
        const { accept, refusals } = await authorizeLaunches(this.options.authorizer, reservations.accept, {
          id,
          principal: framework.principal,
          user: framework.user ?? "",
        });
        // Refused launches are the master's TASK_ERRORs (no uuid: nothing to acknowledge).
        const stream = this.streams.get(id);
        for (const status of reservations.statuses)
          stream?.send({ type: "UPDATE_OPERATION_STATUS", update_operation_status: { status } });
        for (const r of refusals)
          stream?.send({
            type: "UPDATE",
            update: {
              status: {
                task_id: { value: r.taskId },
                state: "TASK_ERROR",
                source: "SOURCE_MASTER",
                reason: r.reason,
                message: r.message,
                timestamp: Date.now() / 1000,
                ...(r.agentId === undefined ? {} : { agent_id: r.agentId }),
              },
            },
          });
        await b.accept(id, accept);
        break;
      }
      case "DECLINE":
        await b.decline(id, call.decline);
        break;
      case "ACCEPT_INVERSE_OFFERS":
        await b.acceptInverseOffers(id, call.acceptInverseOffers);
        break;
      case "DECLINE_INVERSE_OFFERS":
        await b.declineInverseOffers(id, call.declineInverseOffers);
        break;
      case "REVIVE":
        await b.revive(id, call.revive);
        break;
      case "SUPPRESS":
        await b.suppress(id, call.suppress);
        break;
      case "KILL":
        await b.kill(id, call.kill);
        break;
      case "SHUTDOWN":
        await b.shutdown(id, call.shutdown);
        break;
      case "ACKNOWLEDGE":
        this.options.metrics.increment(acknowledgeCounter(await b.acknowledge(id, call.acknowledge)));
        break;
      case "ACKNOWLEDGE_OPERATION_STATUS":
        this.options.metrics.increment(
          acknowledgeOperationCounter(
            await b.acknowledgeOperationStatus(id, call.acknowledgeOperationStatus),
          ),
        );
        break;
      case "RECONCILE":
        await b.reconcile(id, call.reconcile);
        break;
      case "RECONCILE_OPERATIONS":
        await b.reconcileOperations(id, call.reconcileOperations);
        break;
      case "MESSAGE":
        await b.message(id, call.message);
        break;
      case "REQUEST":
        await b.request(id, call.request);
        break;
      case "UPDATE_FRAMEWORK": {
        const info = call.updateFramework.framework_info;
        // A changed principal is the state side's 400, which Mesos gives before authorizing.
        if ((info.principal ?? "") === (framework.principal ?? "")) {
          const refusal = await registrationRefusal(this.options.authorizer, { ...info, id: { value: id } });
          if (refusal !== undefined) {
            replyText(res, 403, refusal);
            return;
          }
        }
        const outcome = await b.updateFramework(id, call.updateFramework, principal);
        if (outcome.ok) replyText(res, 200);
        else replyText(res, outcome.status, outcome.message);
        return;
      }
      case "UNKNOWN":
        replyText(res, 501);
        return;
    }
    replyText(res, 202);
  }

  private async subscribe(
    res: ServerResponse,
    call: Extract<ValidatedSchedulerCall, { type: "SUBSCRIBE" }>,
    principal: string | undefined,
    encoding: ResponseEncoding,
  ): Promise<void> {
    const resubscribe = (call.subscribe.framework_info.id?.value ?? "") !== "";
    this.options.metrics.increment(
      resubscribe ? "master/messages_reregister_framework" : "master/messages_register_framework",
    );
    const subscription = new FrameworkSubscription(res, {
      encoding,
      log: this.options.log,
      heartbeatSeconds: this.options.heartbeatSeconds,
      timers: this.options.timers,
      maxBufferedBytes: this.options.maxBufferedBytes,
      metrics: this.options.metrics,
      onClientGone: (gone) => this.clientGone(gone),
      // A stream the state side closed (TEARDOWN, failover timeout) or failed over is forgotten;
      // else every framework that ever subscribed would keep its response object.
      onEndedHere: (ended) => {
        if (ended.frameworkId !== undefined) this.streams.remove(ended.frameworkId, ended);
      },
    });
    // Mesos answers 200 at once; a refusal comes as an ERROR event inside the stream (§1.2 #11).
    subscription.start();

    // An authenticated framework that names no principal is registered, and authorized, as the
    // principal it authenticated with (Master::Http::scheduler); without this it would be checked
    // as "any principal" and slip past ACLs written for it.
    const info = call.subscribe.framework_info;
    if (principal !== undefined && info.principal === undefined) info.principal = principal;
    let refusal: string | undefined;
    try {
      refusal = await registrationRefusal(this.options.authorizer, info);
    } catch (error) {
      this.options.log.error({ err: error }, "authorizer failed");
      refusal = "Authorization failure: the ACLs could not be evaluated";
    }
    if (refusal !== undefined) {
      subscription.endWithError(refusal);
      return;
    }

    let outcome: Awaited<ReturnType<MesosBackend["subscribe"]>>;
    try {
      outcome = await this.backend.subscribe({ subscribe: call.subscribe, principal }, subscription);
    } catch (error) {
      this.options.log.error({ err: error }, "backend failed to subscribe a framework");
      subscription.endWithError("The master's state is unavailable; retry");
      return;
    }
    if (!outcome.subscribed) {
      subscription.endWithError(outcome.message);
      return;
    }
    const frameworkId = outcome.frameworkId;
    this.streams.replace(frameworkId, subscription);
    this.options.metrics.frameworkSeen(frameworkId);
    if (subscription.closed) {
      // The client left while the state side was subscribing it (or the state side closed it).
      if (this.streams.remove(frameworkId, subscription) && subscription.closedByClient)
        this.backend.disconnected(frameworkId, subscription.streamId);
      return;
    }
    subscription.confirm(frameworkId, v1MasterInfo(this.backend.master().info));
  }

  private clientGone(subscription: FrameworkSubscription): void {
    const frameworkId = subscription.frameworkId;
    if (frameworkId === undefined) return; // not confirmed yet: subscribe() handles it
    if (this.streams.remove(frameworkId, subscription))
      this.backend.disconnected(frameworkId, subscription.streamId);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
