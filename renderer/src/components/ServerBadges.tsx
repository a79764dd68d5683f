import { Badge, Tooltip } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { matchHostMessage } from '../../../shared/host-messages';
import { LOCAL_SERVER_ID, type ServerInfo, type ServerKind } from '../../../shared/server-dto';
import { TONE_COLORS, serverState, type ServerState } from '../lib/server-state';
import { useHostMessage } from '../lib/host-message';
import { useConnectionStore } from '../stores/connection-store';
import { useServerConnectionStore } from '../stores/server-connection-store';

/**
 * How a server stands right now: its health, a failure a request just reported, and for this computer the
 * host's own connection (a host that does not answer or refuses the window's token is not "up"). `id` names the
 * server while the list that describes it has not loaded.
 */
export function useServerState(server: ServerInfo | undefined, id = server?.id): ServerState {
  const hostMessage = useHostMessage();
  const reported = useServerConnectionStore((state) => (id === undefined ? undefined : state.problems[id]));
  const hostStatus = useConnectionStore((state) => state.status);
  // This computer before (or without) the server list: its state is the host connection's.
  const isLocal = id === LOCAL_SERVER_ID;
  if (isLocal && hostStatus === 'offline') {
    return { standing: 'down', tone: 'red', message: undefined, timedOut: false };
  }
  if (isLocal && hostStatus === 'unauthorized') {
    return { standing: 'auth', tone: 'amber', message: undefined, timedOut: false };
  }
  const state = serverState(server, reported);
  // The health note is the host's own sentence (or a server's words, which stay as they are).
  if (state.message === undefined) return state;
  const hostWorded = matchHostMessage(state.message)?.prefix === '';
  return { ...state, message: hostMessage(state.message), hostWorded };
}

/** The small round health light of the switcher and the cards; its meaning is also given in words to readers. */
export function HealthDot({ state, size = 10 }: { state: ServerState; size?: number }) {
  const { t } = useTranslation();
  const label = t(`servers.standing.${state.standing}`);
  return (
    <span
      role="img"
      aria-label={label}
      title={label}
      data-standing={state.standing}
      style={{
        display: 'inline-block',
        flexShrink: 0,
        width: size,
        height: size,
        borderRadius: '50%',
        background: `var(--mantine-color-${TONE_COLORS[state.tone]}-6)`,
        boxShadow: '0 0 0 2px var(--mantine-color-body)',
      }}
    />
  );
}

/** Up / Down / Auth problem / Read-only / Unchecked, coloured like the dot. */
export function StandingBadge({ state }: { state: ServerState }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={TONE_COLORS[state.tone]}
      variant="light"
      data-standing={state.standing}
      style={{ flexShrink: 0 }}
    >
      {t(`servers.standing.${state.standing}`)}
    </Badge>
  );
}

/** eKuiper or NeuronEX. */
export function KindBadge({ kind, size = 'sm' }: { kind: ServerKind; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  return (
    <Badge
      size={size}
      variant="outline"
      color={kind === 'neuronex' ? 'indigo' : 'gray'}
      style={{ flexShrink: 0, textTransform: 'none' }}
    >
      {t(`servers.kinds.${kind}`)}
    </Badge>
  );
}

/**
 * A name that may be long: cut with an ellipsis, and then whole in a tooltip. A name that fits has no tooltip (it
 * would only repeat itself, and in the header it covered the menu the click opened); `tooltip={false}` turns it
 * off while something else is open. The width is a plain `maxWidth`: as a flex item the name still shrinks with a
 * narrow header or card, and its parent is never sized by the uncut name (a percentage cap did that, leaving a gap
 * after the ellipsis).
 */
export function TruncatedName({
  name,
  maxWidth,
  fw,
  tooltip = true,
}: {
  name: string;
  maxWidth: number;
  fw?: number;
  tooltip?: boolean;
}) {
  const [cut, setCut] = useState(false);
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const measure = () => setCut(element.scrollWidth > element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [name]);
  return (
    <Tooltip label={name} openDelay={400} withinPortal disabled={!cut || !tooltip}>
      <span
        ref={ref}
        data-cut={cut ? '' : undefined}
        style={{
          display: 'block',
          maxWidth,
          overflow: 'hidden',
          textOverflow: 'ellipsis',
          whiteSpace: 'nowrap',
          verticalAlign: 'middle',
          fontWeight: fw,
        }}
      >
        {name}
      </span>
    </Tooltip>
  );
}
