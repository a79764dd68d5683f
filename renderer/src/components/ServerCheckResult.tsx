import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { matchHostMessage } from '../../../shared/host-messages';
import type { ServerCheck } from '../../../shared/server-dto';
import { formatDuration } from '../lib/format';
import { useHostMessage } from '../lib/host-message';

const isHostMessage = (message: string): boolean => matchHostMessage(message)?.prefix === '';
import { Fact, FactList } from './FactList';
import { ServerVersionFacts } from './ServerVersionFacts';

/** The title and colour of a check: connected, read-only, credentials refused, or not connected. */
function verdict(check: ServerCheck): { titleKey: string; color: string } {
  if (check.ok && check.readOnly === true)
    return { titleKey: 'servers.check.readOnlyTitle', color: 'yellow' };
  if (check.ok) return { titleKey: 'servers.check.okTitle', color: 'teal' };
  if (check.reachable && check.authOk === false)
    return { titleKey: 'servers.check.authTitle', color: 'yellow' };
  return { titleKey: 'servers.check.failedTitle', color: 'red' };
}

/**
 * What a connection test found, in plain words: reachable or not, whether the credentials work, the server's
 * version (and NeuronEX's own), OS, arch, uptime and latency, and on failure what to do with the server's own message beside it.
 */
export function ServerCheckResult({ check }: { check: ServerCheck }) {
  const { t, i18n } = useTranslation();
  const hostMessage = useHostMessage();
  const { titleKey, color } = verdict(check);
  const credentials =
    check.authOk === null
      ? t('servers.check.notTried')
      : check.authOk
        ? t('servers.check.accepted')
        : t('servers.check.refusedCredentials');
  return (
    <Alert color={color} variant="light" title={t(titleKey)} role="status" data-testid="server-check-result">
      <FactList gap="2px 16px">
        <Fact label={t('servers.check.reachable')}>
          {check.reachable ? t('servers.check.yes') : t('servers.check.no')}
        </Fact>
        <Fact label={t('servers.check.credentials')}>{credentials}</Fact>
        {check.reachable && (
          <>
            <ServerVersionFacts check={check} />
            <Fact label={t('servers.check.osArch')}>
              {check.os || check.arch ? `${check.os || '—'} / ${check.arch || '—'}` : '—'}
            </Fact>
            <Fact label={t('servers.check.uptime')}>
              {formatDuration(check.upTimeSeconds, i18n.language)}
            </Fact>
            <Fact label={t('servers.check.latency')}>
              {check.latencyMs === null ? '—' : t('servers.page.latencyValue', { ms: check.latencyMs })}
            </Fact>
            {check.role !== undefined && <Fact label={t('servers.check.role')}>{check.role}</Fact>}
          </>
        )}
      </FactList>
      {!check.ok && check.problem !== undefined && (
        <Text size="sm" mt="xs">
          {t(`servers.check.problem.${check.problem}`)}
        </Text>
      )}
      {(!check.ok || check.readOnly === true) && check.message !== '' && (
        <Text size="sm" mt={4} c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {/* The host's own sentence (it quotes the server's words itself) bare; anything else is the server's. */}
          {isHostMessage(check.message)
            ? hostMessage(check.message)
            : t('servers.check.serverSaid', { message: check.message })}
        </Text>
      )}
    </Alert>
  );
}
