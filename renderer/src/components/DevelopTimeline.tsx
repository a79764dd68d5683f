import { Badge, Code, Group, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { shortSha, type DevelopBuild, type DevelopBuildResult } from '../../../shared/develop-dto';
import { formatElapsed } from '../lib/format';
import { useHostMessage } from '../lib/host-message';
import type { BuildInProgress } from '../lib/use-develop-session';
import classes from './DevelopLive.module.css';

const RESULT_COLORS: Record<DevelopBuildResult, string> = {
  installed: 'teal',
  updated: 'green',
  unchanged: 'gray',
  refused: 'red',
};

/** Changed files shown before "+N more": a save rarely touches more. */
const SHOWN_FILES = 3;

/** `12:03:04` in the user's time zone: builds are read against the save just made. */
function clock(time: number): string {
  const date = new Date(time);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function ChangedFiles({ changed }: { changed: string[] }) {
  const { t } = useTranslation();
  if (changed.length === 0) return <>{t('develop.live.timeline.firstBuild')}</>;
  const shown = changed.slice(0, SHOWN_FILES).join(', ');
  return (
    <>
      {shown}
      {changed.length > SHOWN_FILES &&
        ` ${t('develop.live.timeline.moreFiles', { count: changed.length - SHOWN_FILES })}`}
    </>
  );
}

function BuildRow({ build }: { build: DevelopBuild }) {
  const { t, i18n } = useTranslation();
  const hostMessage = useHostMessage();
  const refused = build.result === 'refused';
  return (
    <li className={classes.build} data-testid="develop-build" data-result={build.result}>
      <Group gap="xs" wrap="wrap">
        <Text size="sm" ff="monospace" c="dimmed">
          {clock(build.at)}
        </Text>
        <Badge size="sm" variant="light" color={RESULT_COLORS[build.result]}>
          {t(`develop.live.results.${build.result}`)}
        </Badge>
        <Text size="sm">{formatElapsed(build.ms, i18n.language)}</Text>
        {build.sha256 !== undefined && (
          <Code title={build.sha256} aria-label={t('develop.live.timeline.sha', { sha: build.sha256 })}>
            {shortSha(build.sha256)}
          </Code>
        )}
        {build.version !== undefined && (
          <Text size="sm" c="dimmed">
            {build.version}
          </Text>
        )}
        <Text size="sm" c="dimmed" className={classes.files}>
          <ChangedFiles changed={build.changed} />
        </Text>
      </Group>
      {refused && (
        <Stack gap={4} mt={6} className={classes.problem}>
          {(build.problems ?? [{ message: build.problem ?? '' }]).map((problem, index) => (
            <div key={index}>
              <Text size="sm" className={classes.problemText}>
                {hostMessage(problem.message)}
              </Text>
              {problem.fix !== undefined && (
                <Text size="sm" c="dimmed">
                  {t('develop.live.timeline.fix', { fix: hostMessage(problem.fix) })}
                </Text>
              )}
            </div>
          ))}
          <Text size="sm" fw={500}>
            {build.runningSha256 !== undefined
              ? t('develop.live.timeline.keepsRunning', { sha: shortSha(build.runningSha256) })
              : t('develop.live.timeline.nothingRuns')}
          </Text>
        </Stack>
      )}
    </li>
  );
}

/**
 * Each build of a develop session, newest first: when, what it did (installed, updated, unchanged, refused),
 * how long it took, the zip's short SHA-256 and which files changed. A refused build says why in the host's
 * words, what to change, and that the last good version keeps running.
 */
export function DevelopTimeline({
  builds,
  building,
}: {
  builds: DevelopBuild[];
  building: BuildInProgress | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <div role="status" aria-live="polite" className={classes.liveLine}>
        {building !== undefined ? (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">
              {building.changed.length === 0
                ? t('develop.live.timeline.buildingFirst')
                : t('develop.live.timeline.building', {
                    files: building.changed.slice(0, SHOWN_FILES).join(', '),
                  })}
            </Text>
          </Group>
        ) : builds[0] !== undefined ? (
          <Text size="sm" c="dimmed">
            {t(`develop.live.timeline.latest.${builds[0].result}`)}
          </Text>
        ) : null}
      </div>
      {builds.length === 0 && building === undefined ? (
        <Text size="sm" c="dimmed">
          {t('develop.live.timeline.empty')}
        </Text>
      ) : (
        <ol
          className={classes.timeline}
          aria-label={t('develop.live.timeline.title')}
          data-testid="develop-timeline"
        >
          {builds.map((build) => (
            <BuildRow key={`${build.at}-${build.sha256 ?? ''}-${build.result}`} build={build} />
          ))}
        </ol>
      )}
    </Stack>
  );
}
