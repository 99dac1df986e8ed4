// The single-field ID messages of mesos.proto (FrameworkID, OfferID, AgentID, TaskID, ExecutorID,
// OperationID, ResourceProviderID, ContainerID's value): `{"value": "…"}`, value required.
import type { z } from "zod";
import { message, text } from "../wire/protobufJson.ts";

export const IdSchema = message({ value: text() });
export type Id = z.infer<typeof IdSchema>;

export type FrameworkId = Id;
export type OfferId = Id;
export type AgentId = Id;
export type TaskId = Id;
export type ExecutorId = Id;
export type OperationId = Id;
