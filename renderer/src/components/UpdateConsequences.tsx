import { Alert, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PluginOverview } from '../../../shared/plugin-dto';
import { pluginApi } from '../api/plugin-api';

/**
 * What an update does to the rules that use a plugin, as eKuiper behaves: a portable plugin is replaced at once
 * and its rules reconnect to the new process; a native library stays loaded until eKuiper restarts. For a
 * portable plugin it also names the rules using it right now (its runtime status), so the user sees who is
 * affected before replacing it.
 */
export function UpdateConsequences({ plugin }: { plugin: PluginOverview }) {
  const { t } = useTranslation();
  const [rules, setRules] = useState<string[] | undefined>();
  const isPortable = plugin.kind === 'portables';

  useEffect(() => {
    setRules(undefined);
    if (!isPortable) return;
    let live = true;
    pluginApi.portableStatus(plugin.name).then(
      (status) => live && setRules(Object.keys(status.refCount ?? {}).sort()),
      () => live && setRules(undefined),
    );
    return () => {
      live = false;
    };
  }, [isPortable, plugin.name]);

  return (
    <Alert
      color={isPortable ? 'blue' : 'yellow'}
      variant="light"
      title={t('manage.update.rulesTitle')}
      data-testid="update-consequences"
    >
      <Text size="sm">
        {isPortable
          ? t('manage.update.portableRules', { name: plugin.name })
          : t('manage.update.nativeRules', { kind: t(`describe.kinds.${plugin.kind}`) })}
      </Text>
      {isPortable && rules !== undefined && (
        <Text size="sm" mt="xs">
          {rules.length > 0
            ? t('manage.update.rulesNow', { rules: rules.join(', ') })
            : t('manage.update.noRulesNow')}
        </Text>
      )}
      <Text size="sm" mt="xs">
        {t('manage.update.safe')}
      </Text>
    </Alert>
  );
}
