import {
  Alert,
  Button,
  Code,
  Divider,
  Drawer,
  Group,
  Loader,
  ScrollArea,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { JsFunction } from '../api/javascript-api';
import { useHostMessage } from '../lib/host-message';
import { useDialog } from '../lib/use-dialog';
import { useServerNotes } from '../lib/use-server-notes';
import { useCapabilitiesStore } from '../stores/capabilities-store';
import { CapabilityNote } from './CapabilityNote';
import { Fact, FactList } from './FactList';
import { TryJavascript } from './TryJavascript';

export interface JavascriptDrawerProps {
  /** The id described; `undefined` closes the drawer. */
  id: string | undefined;
  /** Its details, once the server described it. */
  fn: JsFunction | undefined;
  /** Why describing it failed, in the server's words. */
  failure: string | undefined;
  server: string;
  onClose: () => void;
  onEdit: (id: string) => void;
  onDelete: (id: string) => void;
}

/**
 * One custom function: its description, whether it aggregates, how SQL calls it, its script, and Try it where
 * the server has this app's call route (elsewhere a sentence says where Try it is).
 */
export function JavascriptDrawer({
  id,
  fn,
  failure,
  server,
  onClose,
  onEdit,
  onDelete,
}: JavascriptDrawerProps) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const notes = useServerNotes();
  const opened = id !== undefined;
  useDialog(opened);
  useEffect(() => {
    if (opened) void useCapabilitiesStore.getState().probeJavascriptCall(server);
  }, [opened, server]);

  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="lg"
      title={
        id !== undefined && (
          <Title order={3} component="span">
            {t('javascriptFunctions.describe.title', { name: id })}
          </Title>
        )
      }
      closeButtonProps={{ 'aria-label': t('describe.close') }}
      scrollAreaComponent={ScrollArea.Autosize}
      returnFocus={false}
    >
      {id !== undefined && (
        <Stack gap="md" data-testid="javascript-drawer">
          {fn === undefined ? (
            failure === undefined ? (
              <Loader size="sm" />
            ) : (
              <Alert color="red" variant="light">
                {hostMessage(failure)}
              </Alert>
            )
          ) : (
            <>
              <FactList>
                <Fact label={t('javascriptFunctions.describe.description')}>
                  {fn.description === '' ? t('javascriptFunctions.describe.none') : fn.description}
                </Fact>
                <Fact label={t('javascriptFunctions.describe.kind')}>
                  {t(
                    fn.isAgg
                      ? 'javascriptFunctions.describe.aggregate'
                      : 'javascriptFunctions.describe.scalar',
                  )}
                </Fact>
                <Fact label={t('javascriptFunctions.describe.sql')}>
                  <Code>
                    {fn.isAgg
                      ? `SELECT ${fn.id}(temperature) FROM demo GROUP BY TumblingWindow(ss, 10)`
                      : `SELECT ${fn.id}(a, b) FROM demo`}
                  </Code>
                </Fact>
              </FactList>
              <Group gap="xs">
                <Button
                  variant="default"
                  onClick={() => onEdit(fn.id)}
                  disabled={notes.readOnly !== undefined}
                  title={notes.readOnly}
                >
                  {t('javascriptFunctions.describe.edit')}
                </Button>
                <Button
                  variant="default"
                  color="red"
                  onClick={() => onDelete(fn.id)}
                  disabled={notes.readOnly !== undefined}
                  title={notes.readOnly}
                >
                  {t('javascriptFunctions.describe.delete')}
                </Button>
              </Group>
              <Stack gap={4}>
                <Text size="sm" fw={600}>
                  {t('javascriptFunctions.describe.script')}
                </Text>
                <Code
                  block
                  // Wrapped: the drawer's scroll area grows to its widest line, which would push it off screen.
                  style={{
                    maxHeight: 320,
                    overflow: 'auto',
                    whiteSpace: 'pre-wrap',
                    overflowWrap: 'anywhere',
                  }}
                  data-testid="javascript-script"
                >
                  {fn.script}
                </Code>
              </Stack>
              <Divider />
              <section aria-label={t('javascriptFunctions.tryIt.title')}>
                <Stack gap="sm">
                  <Title order={4}>{t('javascriptFunctions.tryIt.title')}</Title>
                  {notes.javascriptCall !== undefined ? (
                    <CapabilityNote>{notes.javascriptCall}</CapabilityNote>
                  ) : (
                    <TryJavascript key={fn.id} fn={fn} server={server} />
                  )}
                </Stack>
              </section>
            </>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
