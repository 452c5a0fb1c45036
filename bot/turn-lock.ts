/**
 * Turns of one conversation run one after the other on an instance: two messages sent at once ("yes" "yes", or a
 * double tap) each see the state the previous one left. Different conversations run in parallel. Across instances,
 * the eTags of the conversation state (optimistic-state.ts) catch what this lock cannot see.
 */
export class TurnLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs fn after every earlier turn of the same key has finished (whether it succeeded or failed). */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    try {
      await before;
      return await fn();
    } finally {
      release();
      // The map keeps only conversations with a turn in flight.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Conversations with a turn running or waiting (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}
