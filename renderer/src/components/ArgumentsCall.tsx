import { Alert, Button, Group, Text } from '@mantine/core';
import { useEffect, useLayoutEffect, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { parseJsonArray } from '../lib/json-fields';
import { noteConnectionError } from '../stores/connection-store';
import { JsonField, formatMs, hostFailureText, jsonProblemText } from './TryItParts';

/** What a call answered, or why it failed, with the round trip the window measured. */
export type CallOutcome<Answer> =
  | { kind: 'answer'; answer: Answer; roundTripMs: number }
  | { kind: 'failed'; message: string; roundTripMs: number };

export interface ArgumentsCall<Answer> {
  argsText: string;
  /** Changes the arguments and forgets the message about the old ones. */
  setArgsText: (text: string) => void;
  argsError: string | undefined;
  running: boolean;
  outcome: CallOutcome<Answer> | undefined;
  /** Reads the arguments (saying what is wrong with them, focused) and makes the call. */
  call: () => Promise<void>;
  /** Stops a call in flight and forgets the answer (the thing called changed). */
  reset: () => void;
}

/**
 * The state of a Try it form whose input is a JSON array of arguments (a plugin's function, a custom JavaScript
 * function): the arguments checked before anything is sent, one call at a time (a newer one stops the older),
 * nothing set after the form has gone, and the time the round trip took.
 */
export function useArgumentsCall<Answer>(
  initialArgs: string,
  send: (args: unknown[], signal: AbortSignal) => Promise<Answer>,
  focusArgs: () => void,
): ArgumentsCall<Answer> {
  const { t } = useTranslation();
  const [argsText, setArgs] = useState(initialArgs);
  const [argsError, setArgsError] = useState<string | undefined>();
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<CallOutcome<Answer> | undefined>();
  const inFlight = useRef<AbortController | undefined>(undefined);
  const latest = useRef({ send, focusArgs });
  useLayoutEffect(() => {
    latest.current = { send, focusArgs };
  });
  useEffect(() => () => inFlight.current?.abort(), []);

  const call = async () => {
    const args = parseJsonArray(argsText);
    if (!args.ok) {
      setArgsError(jsonProblemText(t, args.problem));
      // The last answer was for other arguments: left below the refused ones, it would read as theirs.
      setOutcome(undefined);
      latest.current.focusArgs();
      return;
    }
    setArgsError(undefined);
    setRunning(true);
    setOutcome(undefined);
    inFlight.current?.abort();
    const stop = new AbortController();
    inFlight.current = stop;
    const started = performance.now();
    try {
      const answer = await latest.current.send(args.value, stop.signal);
      setOutcome({ kind: 'answer', answer, roundTripMs: performance.now() - started });
    } catch (error) {
      if (stop.signal.aborted) return;
      noteConnectionError(error);
      setOutcome({
        kind: 'failed',
        message: hostFailureText(t, error),
        roundTripMs: performance.now() - started,
      });
    } finally {
      if (!stop.signal.aborted) setRunning(false);
    }
  };

  return {
    argsText,
    setArgsText: (text) => {
      setArgs(text);
      setArgsError(undefined);
    },
    argsError,
    running,
    outcome,
    call,
    reset: () => {
      inFlight.current?.abort();
      setRunning(false);
      setOutcome(undefined);
    },
  };
}

/** The arguments field of a Try it form: Ctrl+Enter (⌘+Enter) calls, as the hint beside the button says. */
export function ArgumentsField({
  form,
  label,
  description,
  onChange,
  fieldRef,
}: {
  form: ArgumentsCall<unknown>;
  label: string;
  description: string;
  /** Called after the text changed (e.g. to clear an answer that was for the old arguments). */
  onChange?: () => void;
  fieldRef: Ref<HTMLTextAreaElement>;
}) {
  return (
    <JsonField
      ref={fieldRef}
      label={label}
      description={description}
      value={form.argsText}
      onChange={(value) => {
        form.setArgsText(value);
        onChange?.();
      }}
      error={form.argsError}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void form.call();
      }}
    />
  );
}

/** The Call button and its keyboard hint. */
export function CallButton({
  form,
  label,
  disabled,
}: {
  form: ArgumentsCall<unknown>;
  label: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Group>
      <Button onClick={() => void form.call()} loading={form.running} disabled={disabled}>
        {label}
      </Button>
      <Text size="xs" c="dimmed">
        {t('tryIt.function.shortcut')}
      </Text>
    </Group>
  );
}

/** A call that did not answer: the server's refusal (or the network's) in its words, and the round trip. */
export function CallFailed({
  title,
  message,
  roundTripMs,
}: {
  title: string;
  message: string;
  roundTripMs: number;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Alert role="alert" variant="light" color="red" title={title}>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="call-failure">
        {message}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        {t('tryIt.roundTrip', { ms: formatMs(roundTripMs, i18n.language) })}
      </Text>
    </Alert>
  );
}
