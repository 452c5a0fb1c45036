/**
 * The Bot Framework bot: a thin channel adapter around the main dialog. It keeps conversation state in the
 * project's database (PgStorage) so any instance can continue any conversation, runs the turns of one conversation
 * one after the other, and saves state with eTags so a turn racing on another instance cannot overwrite this one.
 */
import { ActivityHandler, ActivityTypes, type Storage, type TurnContext } from 'botbuilder';
import type { Dialog, DialogState } from 'botbuilder-dialogs';
import type { AskService } from '../conversation/ask-service.js';
import { tFor } from '../conversation/i18n.js';
import type { HandoffRepository } from '../dispatch/handoff.repository.js';
import type { Logger } from '../logger.js';
import { MainDialog, conversationKey, eraseRequested, type ConversationData } from './dialogs/main-dialog.js';
import { langOf, send, setPublicUrl } from './dialogs/kit.js';
import { OptimisticConversationState } from './optimistic-state.js';
import { StorageConflictError } from './pg-storage.js';
import { TurnLock } from './turn-lock.js';

export { ssml } from './render.js';
export { conversationKey } from './dialogs/main-dialog.js';

export interface InfolineBotDeps {
  ask: Pick<AskService, 'ask'>;
  handoffs: Pick<HandoffRepository, 'create' | 'escalate' | 'shareDetails'>;
  /** Where conversation state lives (PgStorage in the app; MemoryStorage in unit tests). */
  storage: Storage;
  /** The task dialogs: ReportDialog, PlaceTonightDialog, ComplaintDialog. */
  tasks: Dialog[];
  logger: Logger;
  /** Longest message accepted; longer ones get a polite refusal, not an error. */
  maxChars: number;
  /** Public base URL, for absolute pictogram URLs on cloud channels. */
  publicUrl?: string;
  /** Deletes what the line stored about a conversation ("delete my data"). */
  erase: (conversationId: string) => Promise<unknown>;
}

export class InfolineBot extends ActivityHandler {
  private readonly state: OptimisticConversationState;
  private readonly main: MainDialog;
  private readonly lock = new TurnLock();

  constructor(private readonly deps: InfolineBotDeps) {
    super();
    this.state = new OptimisticConversationState(deps.storage);
    this.main = new MainDialog(
      { ask: deps.ask, handoffs: deps.handoffs, tasks: deps.tasks, logger: deps.logger, maxChars: deps.maxChars, erase: deps.erase },
      this.state.createProperty<ConversationData>('conversation'),
      this.state.createProperty<DialogState>('dialogs'),
    );
    this.onMessage(async (context, next) => {
      await context.sendActivity({ type: ActivityTypes.Typing });
      await this.main.onMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      if ((context.activity.membersAdded ?? []).some((m) => m.id !== context.activity.recipient.id)) await this.main.welcome(context);
      await next();
    });
  }

  /** One turn: after the conversation's previous turn, state loaded fresh, saved with its eTag. */
  override async run(context: TurnContext): Promise<void> {
    setPublicUrl(context, this.deps.publicUrl);
    await this.lock.run(conversationKey(context), async () => {
      await super.run(context);
      // "Delete my data" confirmed: the conversation's state goes, rather than being saved.
      if (eraseRequested(context)) return void (await this.state.delete(context));
      try {
        await this.state.saveChanges(context);
      } catch (err) {
        if (!(err instanceof StorageConflictError)) throw err;
        // Another instance answered this conversation meanwhile: its state stands; this turn's changes are dropped.
        this.deps.logger.warn({ stage: 'bot', conversationId: conversationKey(context) }, 'conversation state conflict');
        await send(context, tFor(langOf(context))('bot.conflict'));
      }
    });
  }
}
