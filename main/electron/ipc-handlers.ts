import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import {
  INVOKE_CHANNELS,
  argumentProblem,
  type InvokeChannel,
  type IpcInvokeContract,
  type IpcSyncContract,
} from '../../shared/ipc-contract.js';
import { isAppUrl } from './security.js';

type Result<C extends InvokeChannel> = IpcInvokeContract[C]['result'];

/** What each channel does once the sender and its arguments have been checked. */
export type InvokeImplementations = {
  [C in InvokeChannel]: (
    event: IpcMainInvokeEvent,
    ...args: IpcInvokeContract[C]['args']
  ) => Promise<Result<C>> | Result<C>;
};

export interface IpcOptions {
  ipcMain: IpcMain;
  /** Ids of the web contents of windows this app created; no other sender gets an answer. */
  ownContentsIds: () => ReadonlySet<number>;
  /** The host's origin (`http://127.0.0.1:9081`): only pages loaded from it may call. */
  appOrigin: () => string;
  connection: () => IpcSyncContract['app:connection']['result'];
  handlers: InvokeImplementations;
}

/** An IPC call refused before anything ran; the page sees the message as a rejected promise. */
export class IpcRefusal extends Error {}

/**
 * Whether a message comes from the main frame of one of our own windows showing the host's page. Checked
 * on every call: a window we did not create, a sub-frame, or a page that navigated elsewhere gets nothing.
 */
export function isTrustedSender(
  event: { sender: { id: number }; senderFrame: WebFrameMain | null },
  ownContentsIds: ReadonlySet<number>,
  appOrigin: string,
): boolean {
  const frame = event.senderFrame;
  if (frame === null || !ownContentsIds.has(event.sender.id)) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url, appOrigin);
}

/**
 * Registers the preload's channels (`shared/ipc-contract.ts`) with sender and argument checks in front of
 * each. Returns a function that removes every handler and listener again, so quitting leaves none behind.
 */
export function registerIpcHandlers(options: IpcOptions): () => void {
  const trusted = (event: IpcMainEvent | IpcMainInvokeEvent): boolean =>
    isTrustedSender(event, options.ownContentsIds(), options.appOrigin());

  for (const channel of INVOKE_CHANNELS) {
    options.ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!trusted(event)) {
        return Promise.reject(new IpcRefusal(`${channel} refused: not one of this app's windows`));
      }
      const problem = argumentProblem(channel, args);
      if (problem !== undefined) return Promise.reject(new IpcRefusal(problem));
      // The contract's check above has narrowed the arguments to this channel's types.
      const handler = options.handlers[channel] as (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;
      return Promise.resolve(handler(event, ...args));
    });
  }

  const answerConnection = (event: IpcMainEvent): void => {
    // A sync message must always get a return value, or the sender's renderer blocks.
    event.returnValue = trusted(event) ? options.connection() : null;
  };
  options.ipcMain.on('app:connection', answerConnection);

  return () => {
    for (const channel of INVOKE_CHANNELS) options.ipcMain.removeHandler(channel);
    options.ipcMain.removeListener('app:connection', answerConnection);
  };
}
