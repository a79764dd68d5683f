import { Alert, Checkbox, Code, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { runsOn, type PackResult } from '../../../shared/pack-dto';
import type { FleetPluginRequest, ServerInfo } from '../../../shared/server-dto';
import { fleetApi } from '../api/fleet-api';
import { fileUrlOfStoredPath } from '../api/install-api';
import type { FleetColumn } from '../lib/fleet-matrix';
import { useDialog } from '../lib/use-dialog';
import { serverName } from '../lib/server-state';
import { useFleetSteps } from '../lib/use-fleet-steps';
import { usePreferencesStore } from '../stores/preferences-store';
import { TargetList } from './FleetActionDialog';
import { FleetActionChoice, FleetDialogEnd, FleetOutcome } from './FleetDialogSteps';
import type { ServerFacts } from './FleetResults';

export interface DeployDialogProps {
  opened: boolean;
  /** The zip just packaged. */
  packed: PackResult;
  servers: readonly ServerInfo[];
  /** The servers ticked when the dialog opens (the Package part's target server). */
  initialTargets: string[];
  onClose: () => void;
}

const DEPLOY_ACTIONS = ['install', 'update'] as const;
type DeployAction = (typeof DEPLOY_ACTIONS)[number];

/**
 * Whether a Go executable runs on a server, from the server's last check: false when it was built for another
 * OS or architecture, undefined when either side is unknown (Python plugins, a server not checked yet).
 */
export function executableRunsOn(packed: PackResult, server: ServerInfo | undefined): boolean | undefined {
  const health = server?.health;
  if (packed.binary === undefined || health?.reachable !== true || health.os === '' || health.arch === '') {
    return undefined;
  }
  return runsOn(packed.binary, health.os, health.arch);
}

/**
 * Sends a packaged zip to chosen servers through the fleet (`POST /manager/fleet/plugins`, the zip as its
 * `file://` path on this computer): install or update, a preview of what each server would do, then one row per
 * server with its own result, failed ones retried alone. A server the Go executable was not built for is marked,
 * and deploying to it needs an explicit "deploy anyway".
 */
export function DeployDialog({ opened, packed, servers, initialTargets, onClose }: DeployDialogProps) {
  const { t } = useTranslation();
  const concurrency = usePreferencesStore((state) => state.fleetConcurrency);
  const [action, setAction] = useState<DeployAction>('install');
  const [targets, setTargets] = useState<string[]>([]);
  const [override, setOverride] = useState(false);
  const name = packed.name ?? '';

  useEffect(() => {
    if (!opened) return;
    setAction('install');
    setTargets(initialTargets);
    setOverride(false);
    steps.reset();
    return () => steps.abort();
  }, [opened, packed.sha256]);

  useDialog(opened);

  function requestFor(list: string[]): Omit<FleetPluginRequest, 'dryRun'> {
    return {
      action,
      kind: 'portables',
      name,
      servers: list,
      concurrency,
      file: fileUrlOfStoredPath(packed.path),
    };
  }
  const steps = useFleetSteps('/manager/fleet/plugins', requestFor, () => {});
  const { stage, preview, run, toRun, busy, inForm } = steps;

  const serverOf = (id: string) => servers.find((server) => server.id === id);
  const facts = (id: string): ServerFacts => ({
    name: serverName(serverOf(id), t) || id,
    readOnly: serverOf(id)?.health?.readOnly === true,
    currentVersion: undefined,
  });
  const columns: FleetColumn[] = servers.map((server) => ({
    id: server.id,
    name: serverName(server, t),
    server,
    answered: true,
    message: '',
    count: 0,
  }));
  const describeTarget = (id: string): string => {
    const health = serverOf(id)?.health;
    if (health?.reachable !== true || health.os === '') return t('develop.pack.deploy.platformUnknown');
    const platform = `${health.os}/${health.arch}`;
    return executableRunsOn(packed, serverOf(id)) === false
      ? t('develop.pack.deploy.mismatch', { built: `${packed.binary!.os}/${packed.binary!.arch}`, platform })
      : platform;
  };
  const mismatched = targets.filter((id) => executableRunsOn(packed, serverOf(id)) === false);
  const mismatchNames = mismatched.map((id) => facts(id).name).join(', ');
  const blocker =
    targets.length === 0
      ? t('fleet.dialog.needTargets')
      : mismatched.length > 0 && !override
        ? t('develop.pack.deploy.needOverride')
        : undefined;

  const kind = t('fleet.kindLabel.portables');
  return (
    <Modal
      opened={opened}
      onClose={stage === 'checking' ? () => {} : onClose}
      title={t('develop.pack.deploy.title', { name, version: packed.version ?? '' })}
      size="xl"
      centered
      closeOnClickOutside={!busy}
      closeButtonProps={{ 'aria-label': t('fleet.dialog.close'), disabled: stage === 'checking' }}
    >
      <Stack gap="md" data-testid="deploy-dialog">
        {inForm ? (
          <>
            <Text size="sm">
              {t('develop.pack.deploy.intro')} <Code style={{ overflowWrap: 'anywhere' }}>{packed.path}</Code>
            </Text>
            <FleetActionChoice
              value={action}
              actions={DEPLOY_ACTIONS}
              labelOf={(value) => t(`fleet.actionNames.${value}`)}
              onChange={setAction}
              disabled={busy}
            />
            <TargetList
              columns={columns}
              facts={facts}
              targets={targets}
              onChange={setTargets}
              disabled={busy}
              hasPlugin={() => undefined}
              describeState={describeTarget}
            />
            {mismatched.length > 0 && (
              <Alert color="orange" variant="light" data-testid="deploy-mismatch">
                <Stack gap="xs">
                  <Text size="sm">{t('develop.pack.deploy.blocked', { servers: mismatchNames })}</Text>
                  <Checkbox
                    label={t('develop.pack.deploy.override')}
                    checked={override}
                    onChange={(event) => setOverride(event.currentTarget.checked)}
                    disabled={busy}
                  />
                </Stack>
              </Alert>
            )}
          </>
        ) : (
          <FleetOutcome
            summary={t(`fleet.dialog.summary.${action}`, { kind, name, count: targets.length })}
            stage={stage}
            preview={preview}
            run={run}
            facts={facts}
            newVersion={packed.version}
          />
        )}
        <FleetDialogEnd
          {...steps.endProps}
          blocker={blocker}
          runLabel={t(`fleet.dialog.run.${action}`, { count: toRun.length })}
          danger={false}
          onClose={onClose}
          onPreview={() => void steps.previewWith(() => fleetApi.preview(requestFor(targets)))}
        />
      </Stack>
    </Modal>
  );
}
