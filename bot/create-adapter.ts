/**
 * The Bot Framework CloudAdapter. With no MicrosoftAppId (local use, the Bot Framework Emulator) it accepts
 * unauthenticated activities; with an app id and password (or a managed identity) it verifies the Bot Framework JWT
 * of every incoming activity and authenticates its replies.
 */
import {
  CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, type TurnContext,
} from 'botbuilder';
import type { Config } from '../config.js';
import { tFor } from '../conversation/i18n.js';
import { isLang } from '../conversation/languages.js';
import type { Logger } from '../logger.js';

/** Creates the adapter and its one error boundary (logs without message text, answers in the person's language). */
export function createBotAdapter(cfg: Config['bot'], logger: Logger): CloudAdapter {
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: cfg.appId,
    MicrosoftAppPassword: cfg.appPassword,
    MicrosoftAppType: cfg.appType,
    MicrosoftAppTenantId: cfg.tenantId,
  });
  const auth = new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: cfg.appId, MicrosoftAppTenantId: cfg.tenantId }, credentials);
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error(
      { stage: 'bot', conversationId: context.activity.conversation?.id, channel: context.activity.channelId, err: { name: error.name, message: error.message } },
      'bot turn failed',
    );
    const locale = context.activity.locale?.slice(0, 2);
    const t = tFor(isLang(locale) ? locale : 'en');
    // The conversation state is kept: a retry continues where the person was.
    await context.sendActivity({ type: 'message', text: t('errors.internal'), speak: t('errors.internal'), inputHint: 'acceptingInput' }).catch(() => undefined);
  };
  return adapter;
}
