// The changes the operator makes to a Node, all from the Mesos operator API: the MARK_AGENT_GONE
// annotation, the maintenance annotation, and the cordon of DEACTIVATE_AGENT and
// START_MAINTENANCE (spec.unschedulable). Merge patches of those fields only; capacity, labels
// and taints stay the kubelet's and the cluster administrator's.
import { type CoreV1Api, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { toKubeError } from "./kubeErrors.ts";

const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

export class NodeWriter {
  constructor(
    private readonly core: CoreV1Api,
    private readonly fieldManager: string,
  ) {}

  /** Sets (or, with null, removes) annotations of a node. */
  async annotate(name: string, annotations: Record<string, string | null>): Promise<void> {
    try {
      await this.core.patchNode(
        { name, body: { metadata: { annotations } }, fieldManager: this.fieldManager },
        mergePatch,
      );
    } catch (err) {
      throw toKubeError(err, `annotate node ${name}`);
    }
  }

  /**
   * Sets annotations (null removes one) and, when given, spec.unschedulable (the cordon); with
   * `resourceVersion`, only if the node is still at that version (409 otherwise).
   */
  async patch(
    name: string,
    change: {
      annotations?: Record<string, string | null>;
      unschedulable?: boolean | undefined;
      resourceVersion?: string | undefined;
    },
  ): Promise<void> {
    const body: { metadata?: object; spec?: object } = {};
    if (change.annotations !== undefined || change.resourceVersion !== undefined)
      body.metadata = {
        ...(change.annotations === undefined ? {} : { annotations: change.annotations }),
        ...(change.resourceVersion === undefined ? {} : { resourceVersion: change.resourceVersion }),
      };
    if (change.unschedulable !== undefined) body.spec = { unschedulable: change.unschedulable ? true : null };
    try {
      await this.core.patchNode({ name, body, fieldManager: this.fieldManager }, mergePatch);
    } catch (err) {
      throw toKubeError(err, `patch node ${name}`);
    }
  }
}
