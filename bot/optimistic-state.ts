/**
 * Conversation state saved with optimistic concurrency. botbuilder's BotState.saveChanges always writes with eTag
 * '*' (last writer wins): two instances answering the same conversation at once would silently lose one turn's
 * state. This state writes with the eTag it read, so the storage (bot/pg-storage.ts) refuses the stale write with
 * StorageConflictError; the bot then tells the person their messages crossed instead of corrupting the dialog.
 */
import { ConversationState, calculateChangeHash, type Storage, type TurnContext } from 'botbuilder';

interface Cached {
  state: Record<string, unknown> & { eTag?: string };
  hash: string;
}

/** BotState keeps its cache under a private symbol; reading it here is the one coupling to its internals. */
function cacheOf(state: object, context: TurnContext): Cached | undefined {
  const key = Reflect.get(state, 'stateKey') as symbol;
  return context.turnState.get(key) as Cached | undefined;
}

async function saveWithEtag(state: ConversationState, storage: Storage, context: TurnContext, force: boolean): Promise<void> {
  const cached = cacheOf(state, context);
  if (!cached) return;
  if (!force && cached.hash === calculateChangeHash(cached.state)) return;
  const key = state.getStorageKey(context);
  if (!key) return;
  // The item carries the eTag it was read with (none for a new conversation): the storage compares it.
  await storage.write({ [key]: cached.state });
  cached.hash = calculateChangeHash(cached.state);
}

export class OptimisticConversationState extends ConversationState {
  constructor(private readonly store: Storage) {
    super(store);
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    await saveWithEtag(this, this.store, context, force);
  }
}
