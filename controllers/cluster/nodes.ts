// The one change the operator makes to a Node: the MARK_AGENT_GONE annotation (operator API). A
// merge patch touching annotations only; capacity, labels and taints stay the kubelet's and the
// cluster administrator's.
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
}
