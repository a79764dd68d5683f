import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { localizeHostMessage } from '../../../shared/host-messages';

/**
 * The host's own messages (refusals, zip verdicts, download failures, log notes) in the window's language:
 * the catalog part translated, eKuiper's texts and anything unknown as the host sent them. Every place that
 * shows a host message to the user goes through this.
 */
export function useHostMessage(): (message: string | undefined) => string {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useCallback(
    (message: string | undefined) => localizeHostMessage(message ?? '', language),
    [language],
  );
}
