import { Alert, Button, Group, Text } from '@mantine/core';
import { Component, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { retryFailedLazyParts } from '../lib/lazy';

interface LazyPartProps {
  /** Shown while the part's code loads. */
  fallback: ReactNode;
  /** Parts that float over the page (dialogs, the drawer) show a failure at the bottom of the window. */
  floating?: boolean;
  children: ReactNode;
}

interface BoundaryState {
  error: Error | undefined;
  attempt: number;
}

/**
 * A part of the window whose code loads on demand (`lazyNamed`). If that code cannot be fetched — the host stopped
 * or restarted with a newer build — the part says so and offers to try again, instead of React unmounting the whole
 * window and leaving it blank.
 */
export class LazyPart extends Component<LazyPartProps, BoundaryState> {
  override state: BoundaryState = { error: undefined, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  private readonly retry = () => {
    retryFailedLazyParts();
    this.setState(({ attempt }) => ({ error: undefined, attempt: attempt + 1 }));
  };

  override render() {
    const { error, attempt } = this.state;
    if (error !== undefined) {
      return (
        <LoadFailed message={error.message} floating={this.props.floating ?? false} onRetry={this.retry} />
      );
    }
    // A new key per attempt mounts the part afresh, so its lazy code is asked for again.
    return (
      <Suspense key={attempt} fallback={this.props.fallback}>
        {this.props.children}
      </Suspense>
    );
  }
}

function LoadFailed({
  message,
  floating,
  onRetry,
}: {
  message: string;
  floating: boolean;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Alert
      color="red"
      role="alert"
      title={t('lazyPart.title')}
      m={floating ? undefined : 'md'}
      style={
        floating
          ? {
              position: 'fixed',
              left: '50%',
              bottom: 24,
              transform: 'translateX(-50%)',
              zIndex: 400,
              maxWidth: 560,
            }
          : undefined
      }
    >
      <Text size="sm">{t('lazyPart.body')}</Text>
      <Text size="xs" c="dimmed" mt={4}>
        {message}
      </Text>
      <Group gap="xs" mt="sm">
        <Button size="xs" onClick={onRetry}>
          {t('lazyPart.retry')}
        </Button>
        <Button size="xs" variant="default" onClick={() => window.location.reload()}>
          {t('lazyPart.reload')}
        </Button>
      </Group>
    </Alert>
  );
}
