import { SpError, type RepSocket } from '../sp/index.js';

/** The plugin did not answer in time; the text says what the host was waiting for. */
export class PluginTimeoutError extends Error {
  override name = 'PluginTimeoutError';
}

function remainingMs(deadline: number, timeoutMessage: string): number {
  const left = deadline - Date.now();
  if (left <= 0) throw new PluginTimeoutError(timeoutMessage);
  return left;
}

function isTimeout(error: unknown): boolean {
  return error instanceof SpError && error.code === 'ETIMEDOUT';
}

/**
 * eKuiper's request loop on an inverted REQ/REP channel (the plugin asks, the host "replies" with its command
 * and reads the result in the plugin's next request). While idle the plugin re-sends `handshake` as a
 * keep-alive, which cancels the request the host was about to answer; an answer starting with `h` therefore
 * means "your command went to a stale request": send it again. A send with nothing pending (the channel's
 * first use) first takes the plugin's greeting.
 */
export async function exchange(
  rep: RepSocket,
  payload: string,
  timeoutMs: number,
  /** What the caller says when the plugin does not answer in time (a catalog message: "time out waiting for …"). */
  timeoutMessage: string,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await rep.send(payload, remainingMs(deadline, timeoutMessage));
      } catch (error) {
        if (!(error instanceof SpError) || error.code !== 'EPROTOSTATE') throw error;
        await rep.recv(remainingMs(deadline, timeoutMessage));
        await rep.send(payload, remainingMs(deadline, timeoutMessage));
      }
      const answer = (await rep.recv(remainingMs(deadline, timeoutMessage))).toString('utf8');
      if (answer.startsWith('h')) continue;
      return answer;
    }
  } catch (error) {
    if (isTimeout(error)) throw new PluginTimeoutError(timeoutMessage);
    throw error;
  }
}

/** Runs tasks one after another: a REQ/REP channel carries one exchange at a time. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => {});
    return result;
  }
}
