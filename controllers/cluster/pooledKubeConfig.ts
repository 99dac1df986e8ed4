// A KubeConfig whose API clients keep their connections to the API server.
//
// @kubernetes/client-node 2.0.1 builds a new undici Agent for every request its generated API
// clients send (KubeConfig.applySecurityAuthentication → createDispatcher), so every create,
// patch and delete opened a fresh TLS connection: a handshake and a new SecureContext each, which
// the CPU profile of a SUBSCRIBE burst showed as a large share of the operator's time. Here the
// first dispatcher per cluster and user is kept and reused, as client-node already does for the
// https.Agent of its watches (`agentCache`, keyed the same way). Credentials that are not part of
// TLS (bearer and exec tokens) are still applied per request by client-node.
import type { RequestContext } from "@kubernetes/client-node";
import { KubeConfig } from "@kubernetes/client-node";

type Dispatcher = NonNullable<ReturnType<RequestContext["getDispatcher"]>>;

export class PooledKubeConfig extends KubeConfig {
  private readonly dispatchers = new Map<string, Dispatcher>();

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    if (fresh === undefined) return;
    const key = JSON.stringify([this.getCurrentCluster()?.name ?? "", this.getCurrentUser()?.name ?? ""]);
    const kept = this.dispatchers.get(key);
    if (kept === undefined) {
      this.dispatchers.set(key, fresh);
      return;
    }
    // The fresh one never connected and holds nothing; it is left to the garbage collector
    // (closing it would build an error object per request).
    context.setDispatcher(kept);
  }
}
