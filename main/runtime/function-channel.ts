import { hostMessage } from '../../shared/host-messages.js';
import { RepSocket } from '../sp/index.js';
import { exchange, SerialQueue } from './command-loop.js';
import { functionUrl } from './ipc-urls.js';

/** A function's answer, as the SDKs send it. */
export interface FunctionReply {
  state: boolean;
  result: unknown;
}

/** The function's own error (`state: false`), or an answer that is not a function reply. */
export class FunctionCallError extends Error {
  override name = 'FunctionCallError';
}

/**
 * The call channel of one function symbol: the host listens, the plugin dials when it gets the function's
 * `start` command, then each call is one exchange of eKuiper's loop.
 */
export class FunctionChannel {
  private readonly queue = new SerialQueue();

  private constructor(
    readonly symbol: string,
    private readonly rep: RepSocket,
  ) {}

  static async open(symbol: string): Promise<FunctionChannel> {
    return new FunctionChannel(symbol, await RepSocket.listen(functionUrl(symbol)));
  }

  /** One call (`Validate`, `Exec`, `IsAggregate`); resolves with the reply, whatever its state. */
  call(func: string, arg: unknown, timeoutMs: number): Promise<FunctionReply> {
    return this.queue.run(async () => {
      const answer = await exchange(
        this.rep,
        JSON.stringify({ func, arg }),
        timeoutMs,
        hostMessage('functionAnswerTimeout', { symbol: this.symbol, call: func }),
      );
      let reply: unknown;
      try {
        reply = JSON.parse(answer);
      } catch {
        throw new FunctionCallError(
          `function ${this.symbol} answered ${func} with '${answer.slice(0, 200)}', which is not JSON`,
        );
      }
      if (
        typeof reply !== 'object' ||
        reply === null ||
        typeof (reply as FunctionReply).state !== 'boolean'
      ) {
        throw new FunctionCallError(
          `function ${this.symbol} answered ${func} with '${answer.slice(0, 200)}', not {"state":…,"result":…}`,
        );
      }
      return reply as FunctionReply;
    });
  }

  close(): Promise<void> {
    return this.rep.close();
  }
}
