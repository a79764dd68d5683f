import { useTranslation } from 'react-i18next';
import { useCapabilities } from '../stores/capabilities-store';
import { useCurrentServer } from '../stores/servers-store';
import { serverName } from './server-state';

/**
 * Sentences for what the current server cannot do, each undefined where it can: the window shows them in place
 * of a part that would only fail (a plain eKuiper has no process panel), and as the reason on a disabled button
 * (a read-only account cannot delete).
 */
export interface ServerNotes {
  /** Install, update, register and delete would be refused. */
  readOnly: string | undefined;
  /** No install record (file, checksum, install log) and no details route. */
  details: string | undefined;
  /** No plugin metadata from this app's route. */
  metadata: string | undefined;
  /** No process, log or Try it panels for portable plugins. */
  runtime: string | undefined;
  /** No host settings to edit. */
  settings: string | undefined;
  /** No prebuilt plugin lists. */
  prebuilt: string | undefined;
  /** No external services: the build lacks `/services` (a core-only eKuiper). */
  services: string | undefined;
  /** No custom JavaScript functions: the build lacks `/udf/javascript` (no `script` tag). */
  javascript: string | undefined;
  /** No Try it for JavaScript functions: the server lacks this app's call route. */
  javascriptCall: string | undefined;
  /** Whether install progress can be followed (this app's event stream). */
  installEvents: boolean;
}

/** What the current server cannot do, in the window's language (see `ServerNotes`). */
export function useServerNotes(): ServerNotes {
  const { t } = useTranslation();
  const server = useCurrentServer();
  const { hostExtras, prebuilt, services, javascript, javascriptCall, readOnly } = useCapabilities();
  const values = { name: serverName(server, t), kind: t(`servers.kinds.${server?.kind ?? 'ekuiper'}`) };
  const missing = hostExtras === 'no';
  const note = (when: boolean, key: string) => (when ? t(key, values) : undefined);
  return {
    readOnly: note(readOnly, 'servers.capabilities.readOnly'),
    details: note(missing, 'servers.capabilities.details'),
    metadata: note(missing, 'servers.capabilities.metadata'),
    runtime: note(missing, 'servers.capabilities.runtime'),
    settings: note(missing, 'servers.capabilities.settings'),
    prebuilt: note(prebuilt === 'no', 'servers.capabilities.prebuilt'),
    services: note(services === 'no', 'servers.capabilities.services'),
    javascript: note(javascript === 'no', 'servers.capabilities.javascript'),
    javascriptCall: note(javascriptCall === 'no', 'servers.capabilities.javascriptCall'),
    installEvents: !missing,
  };
}
