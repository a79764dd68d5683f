import { Badge, Button, CopyButton, Group, Text } from '@mantine/core';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHostMessage } from '../lib/host-message';
import { followLog, type LogLine } from '../api/runtime-api';
import classes from './TryIt.module.css';

/** Lines kept in view: the host keeps 2,000 too, and a longer box only slows the drawer down. */
export const LOG_VIEW_LINES = 2_000;
/** Lines asked for when the stream opens. */
const TAIL_LINES = 200;
/** Within this many pixels of the bottom counts as "at the bottom": following resumes. */
const BOTTOM_SLACK_PX = 16;

interface ShownLine extends LogLine {
  id: number;
}

type StreamState = 'connecting' | 'live' | 'ended' | 'failed';

/** `12:03:04.567` in the user's time zone: a log is read against the clock on the wall. */
function clock(time: number): string {
  const date = new Date(time);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** The log as plain text, for the clipboard. */
export function logText(lines: readonly LogLine[]): string {
  return lines.map((line) => `${new Date(line.time).toISOString()} [${line.stream}] ${line.text}`).join('\n');
}

/**
 * The plugin's stdout, stderr and the host's notes, tailed and then followed live while shown. It scrolls
 * along with new lines until the user scrolls up to read, and offers to jump back; the stream is closed when
 * the component goes away (the drawer closes).
 */
export function PluginLog({ name }: { name: string }) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const [lines, setLines] = useState<ShownLine[]>([]);
  const [state, setState] = useState<StreamState>('connecting');
  const [failure, setFailure] = useState<string | undefined>();
  const [following, setFollowing] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const nextId = useRef(0);

  useEffect(() => {
    const stop = new AbortController();
    setLines([]);
    setState('connecting');
    setFailure(undefined);
    followLog(
      name,
      TAIL_LINES,
      (line) => {
        setLines((previous) => {
          const next = [...previous, { ...line, id: nextId.current++ }];
          return next.length > LOG_VIEW_LINES ? next.slice(next.length - LOG_VIEW_LINES) : next;
        });
      },
      stop.signal,
      () => setState('live'),
    ).then(
      () => {
        if (!stop.signal.aborted) setState('ended');
      },
      (error: unknown) => {
        if (stop.signal.aborted) return;
        setState('failed');
        setFailure((error as Error).message);
      },
    );
    return () => {
      stop.abort();
    };
  }, [name, attempt]);

  useLayoutEffect(() => {
    const element = box.current;
    if (following && element) element.scrollTop = element.scrollHeight;
  }, [lines, following]);

  const onScroll = useCallback(() => {
    const element = box.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX;
    setFollowing(atBottom);
  }, []);

  const streamLabel = (stream: string) => t(`tryIt.log.streams.${stream}`, { defaultValue: stream });

  return (
    <div>
      <Group justify="space-between" mb={6} gap="xs">
        <Group gap="xs">
          <Badge
            variant="dot"
            color={state === 'live' ? 'green' : state === 'connecting' ? 'blue' : 'gray'}
            data-testid="log-state"
          >
            {t(`tryIt.log.state.${state}`)}
          </Badge>
          {!following && (
            <Text size="xs" c="dimmed" role="status">
              {t('tryIt.log.paused')}
            </Text>
          )}
        </Group>
        <Group gap="xs">
          {!following && (
            <Button size="compact-xs" variant="light" onClick={() => setFollowing(true)}>
              {t('tryIt.log.jump')}
            </Button>
          )}
          {(state === 'ended' || state === 'failed') && (
            <Button size="compact-xs" variant="light" onClick={() => setAttempt((value) => value + 1)}>
              {t('tryIt.log.reconnect')}
            </Button>
          )}
          <CopyButton value={logText(lines)}>
            {({ copied, copy }) => (
              <Button
                size="compact-xs"
                variant="default"
                onClick={copy}
                disabled={lines.length === 0}
                color={copied ? 'teal' : undefined}
              >
                {copied ? t('tryIt.log.copied') : t('tryIt.log.copy')}
              </Button>
            )}
          </CopyButton>
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => setLines([])}
            disabled={lines.length === 0}
          >
            {t('tryIt.log.clear')}
          </Button>
        </Group>
      </Group>
      <div
        ref={box}
        className={classes.logBox}
        role="log"
        aria-label={t('tryIt.log.label', { name })}
        aria-live="off"
        tabIndex={0}
        onScroll={onScroll}
      >
        {lines.length === 0 ? (
          <Text size="xs" c="dimmed" component="div">
            {state === 'connecting' ? t('tryIt.log.connecting') : t('tryIt.log.empty')}
          </Text>
        ) : (
          lines.map((line) => (
            <div
              key={line.id}
              className={`${classes.line} ${classes[line.stream] ?? ''}`}
              data-stream={line.stream}
            >
              <span className={classes.time}>{clock(line.time)}</span>
              <span className={classes.stream}>{streamLabel(line.stream)}</span>
              {/* The host's notes are its own messages, shown in the window's language. */}
              <span>{line.stream === 'host' ? hostMessage(line.text) : line.text}</span>
            </div>
          ))
        )}
      </div>
      <Text size="xs" c="dimmed" mt={4}>
        {failure
          ? t('tryIt.log.failed', { message: failure })
          : state === 'ended'
            ? t('tryIt.log.ended')
            : t('tryIt.log.hint', { count: LOG_VIEW_LINES })}
      </Text>
    </div>
  );
}
