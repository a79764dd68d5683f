import { hostMessage } from '../../shared/host-messages.js';
import { RepSocket } from '../sp/index.js';
import { exchange, SerialQueue } from './command-loop.js';
import { controlUrl, type InstanceMeta } from './ipc-urls.js';

/** What a `start`/`stop` command carries (eKuiper's `Control`). */
export interface Control {
  symbolName: string;
  meta: InstanceMeta;
  pluginType: 'source' | 'sink' | 'func';
  dataSource?: string;
  config?: Record<string, unknown>;
}

/**
 * How the plugin's SDK reads a command's `arg`: today's SDKs take the Control JSON as a string; the 2021 Go
 * SDK declared it `[]byte`, which Go's JSON decoder reads as base64.
 */
export type ArgDialect = 'plain' | 'base64';

/** The plugin refused a command; the message is the plugin's own answer. */
export class PluginCommandError extends Error {
  override name = 'PluginCommandError';
}

/** What a 2021 Go SDK answers when it is sent a plain-string `arg`. */
const BASE64_COMPLAINT = /illegal base64 data/i;

/**
 * The control channel of one plugin process: the handshake, then `start`/`stop` commands one at a time with
 * eKuiper's loop. Detects the 2021 Go SDK from its answer and speaks its dialect from then on.
 */
export class ControlChannel {
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly rep: RepSocket,
    public dialect: ArgDialect,
    /** Whether the plugin has greeted: from then on, no new caller is admitted. */
    private readonly admission: { greeted: boolean },
  ) {}

  /**
   * Listens where the plugin will dial; must happen before the process starts. The channel serves one
   * process: the first caller before the handshake. Anyone else — a program installed under another name that
   * dials this plugin's name, compiled into it — is hung up on and reported to `onStrayCaller`, so it can never
   * take this plugin's commands.
   */
  static async open(
    plugin: string,
    dialect: ArgDialect = 'plain',
    onStrayCaller: () => void = () => {},
  ): Promise<ControlChannel> {
    const admission = { greeted: false };
    const rep = await RepSocket.listen(controlUrl(plugin), {
      admitPeer: (connected) => {
        if (connected === 0 && !admission.greeted) return true;
        onStrayCaller();
        return false;
      },
    });
    return new ControlChannel(rep, dialect, admission);
  }

  /** Waits for the plugin's first request (`handshake`); rejects on timeout or a socket error. */
  async handshake(timeoutMs: number): Promise<void> {
    const greeting = (await this.rep.recv(timeoutMs)).toString('utf8');
    this.admission.greeted = true;
    if (!greeting.startsWith('h')) {
      throw new PluginCommandError(hostMessage('pluginBadGreeting', { greeting: greeting.slice(0, 80) }));
    }
  }

  /** Sends `start` or `stop` and resolves when the plugin answers `ok`. */
  command(cmd: 'start' | 'stop', control: Control, timeoutMs: number): Promise<void> {
    return this.queue.run(async () => {
      const waitingFor = hostMessage('pluginAnswerTimeout', {
        command: cmd,
        type: control.pluginType,
        symbol: control.symbolName,
      });
      let answer = await exchange(this.rep, this.payload(cmd, control), timeoutMs, waitingFor);
      if (answer !== 'ok' && this.dialect === 'plain' && BASE64_COMPLAINT.test(answer)) {
        this.dialect = 'base64';
        answer = await exchange(this.rep, this.payload(cmd, control), timeoutMs, waitingFor);
      }
      if (answer !== 'ok') throw new PluginCommandError(answer);
    });
  }

  close(): Promise<void> {
    return this.rep.close();
  }

  private payload(cmd: 'start' | 'stop', control: Control): string {
    // Python SDKs read `datasource`, Go ones `dataSource` (case-insensitively): send both.
    const body = control.dataSource === undefined ? control : { ...control, datasource: control.dataSource };
    const json = JSON.stringify(body);
    const arg = this.dialect === 'base64' ? Buffer.from(json, 'utf8').toString('base64') : json;
    return JSON.stringify({ cmd, arg });
  }
}
