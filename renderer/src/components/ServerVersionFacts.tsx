import { useTranslation } from 'react-i18next';
import type { ServerCheck } from '../../../shared/server-dto';
import { Fact } from './FactList';

/**
 * What a server is, as a check found it: eKuiper's version, and on a NeuronEX NeuronEX's own version first with
 * eKuiper's named as such, since the user knows a NeuronEX box by its NeuronEX release. The server card and the
 * connection test show it the same way; `—` until the server answered.
 */
export function ServerVersionFacts({ check }: { check: ServerCheck | undefined }) {
  const { t } = useTranslation();
  const version = check?.reachable === true && check.version !== '' ? check.version : '—';
  if (check?.neuronexVersion === undefined) {
    return <Fact label={t('servers.versions.version')}>{version}</Fact>;
  }
  return (
    <>
      <Fact label={t('servers.versions.neuronex')}>{check.neuronexVersion || '—'}</Fact>
      <Fact label={t('servers.versions.ekuiper')}>{version}</Fact>
    </>
  );
}
