// The Pod as the operator reads it: the wire JSON of the API server, validated for the fields the
// reconcilers and the allocator use (resources, node, phase, container states) and passed through
// untouched otherwise. Informer caches and the pod write helpers both return this shape, so a
// timestamp is always an RFC 3339 string, never sometimes a Date (client-node's typed models).
import { z } from "zod";
import { ObjectMetaSchema } from "../api/index.ts";

const ResourceListSchema = z.record(z.string(), z.string());

export const ContainerSchema = z.looseObject({
  name: z.string(),
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  resources: z
    .looseObject({ requests: ResourceListSchema.optional(), limits: ResourceListSchema.optional() })
    .optional(),
  ports: z
    .array(
      z.looseObject({
        name: z.string().optional(),
        containerPort: z.number().int().optional(),
        hostPort: z.number().int().optional(),
        protocol: z.string().optional(),
      }),
    )
    .optional(),
  /** "Always" on an init container: a sidecar. */
  restartPolicy: z.string().optional(),
});

export const ContainerStateSchema = z.looseObject({
  waiting: z.looseObject({ reason: z.string().optional(), message: z.string().optional() }).optional(),
  running: z.looseObject({ startedAt: z.string().optional() }).optional(),
  terminated: z
    .looseObject({
      exitCode: z.number().int(),
      signal: z.number().int().optional(),
      reason: z.string().optional(),
      message: z.string().optional(),
      startedAt: z.string().optional(),
      finishedAt: z.string().optional(),
      containerID: z.string().optional(),
    })
    .optional(),
});

export const ContainerStatusSchema = z.looseObject({
  name: z.string(),
  ready: z.boolean().optional(),
  started: z.boolean().optional(),
  restartCount: z.number().int().optional(),
  image: z.string().optional(),
  containerID: z.string().optional(),
  state: ContainerStateSchema.optional(),
  lastState: ContainerStateSchema.optional(),
});

export const PodConditionSchema = z.looseObject({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().nullish(),
});

export const PodSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: ObjectMetaSchema,
  spec: z
    .looseObject({
      nodeName: z.string().optional(),
      schedulerName: z.string().optional(),
      restartPolicy: z.string().optional(),
      terminationGracePeriodSeconds: z.number().int().optional(),
      containers: z.array(ContainerSchema),
      initContainers: z.array(ContainerSchema).optional(),
      overhead: ResourceListSchema.optional(),
    })
    .optional(),
  status: z
    .looseObject({
      phase: z.string().optional(),
      reason: z.string().optional(),
      message: z.string().optional(),
      hostIP: z.string().optional(),
      podIP: z.string().optional(),
      startTime: z.string().optional(),
      conditions: z.array(PodConditionSchema).optional(),
      containerStatuses: z.array(ContainerStatusSchema).optional(),
      initContainerStatuses: z.array(ContainerStatusSchema).optional(),
    })
    .optional(),
});
export type Pod = z.infer<typeof PodSchema>;
