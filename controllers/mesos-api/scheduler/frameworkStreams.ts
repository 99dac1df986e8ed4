// One live event stream per framework (semantics.md §1.5 #3): the registry of current
// subscriptions, which also decides which closes the state side hears about.
import type { FrameworkSubscription } from "./frameworkSubscription.ts";

export class FrameworkStreams {
  private readonly current = new Map<string, FrameworkSubscription>();

  /**
   * The framework's open stream. Closed ones are not here: a stream we end unregisters itself
   * (FrameworkSubscription's onEndedHere), one the client drops through `remove`.
   */
  get(frameworkId: string): FrameworkSubscription | undefined {
    return this.current.get(frameworkId);
  }

  get size(): number {
    return this.current.size;
  }

  /**
   * Make `subscription` the framework's stream. A previous one gets ERROR "Framework failed over"
   * and is closed — not a disconnect: the framework stays connected through the new stream.
   */
  replace(frameworkId: string, subscription: FrameworkSubscription): void {
    const previous = this.current.get(frameworkId);
    this.current.set(frameworkId, subscription);
    if (previous !== undefined && previous !== subscription) previous.endWithError("Framework failed over");
  }

  /** Forget `subscription` if it is still current; true when it was (i.e. a real disconnect). */
  remove(frameworkId: string, subscription: FrameworkSubscription): boolean {
    if (this.current.get(frameworkId) !== subscription) return false;
    this.current.delete(frameworkId);
    return true;
  }

  /** Close every stream (server shutdown). */
  closeAll(): void {
    for (const subscription of this.current.values()) subscription.close();
    this.current.clear();
  }
}
