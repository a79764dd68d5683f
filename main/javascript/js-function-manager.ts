import type { JsCallResult } from '../../shared/javascript-dto.js';
import { hostMessage } from '../../shared/host-messages.js';
import { KeyedMutex } from '../plugins/keyed-mutex.js';
import { PluginError } from '../plugins/plugin-error.js';
import type { JsFunction, JsFunctionStore } from './js-function-store.js';
import {
  DEFAULT_SANDBOX_LIMITS,
  type JsSandbox,
  type SandboxAnswer,
  type SandboxLimits,
  type ScriptError,
} from './js-sandbox.js';

export type { JsCallResult } from '../../shared/javascript-dto.js';

/** All writes share one lock: creates, updates and deletes are rare, and ids may change owner between them. */
const WRITE_LOCK = 'javascript';

/**
 * eKuiper's JavaScript function manager (`internal/plugin/js/manager.go`) with its texts, but every script is
 * checked in the sandbox rather than the host's engine, a function name another plugin exports is refused, and a
 * refused create or update leaves the stored functions as they were.
 */
export class JsFunctionManager {
  private readonly locks = new KeyedMutex();
  /** Bumped by every save and delete of an id: a call after one gets a fresh engine, as a restarted rule does. */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly store: JsFunctionStore,
    private readonly sandbox: JsSandbox,
    /**
     * Who else — a plugin, an external service — already has a function of this name, worded for a refusal
     * (undefined when nobody has): SQL has one function namespace.
     */
    private readonly otherFunctionOwner: (name: string) => string | undefined,
    private readonly limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS,
  ) {}

  list(): string[] {
    return this.store.list();
  }

  /** Changes whenever the list may have (see `cachedList`). */
  get revision(): number {
    return this.store.revision;
  }

  /** Whether a JavaScript function has this name, worded for a plugin's refusal (undefined when none has). */
  functionNameOwner(name: string): string | undefined {
    return this.store.has(name) ? hostMessage('functionIsJavascript', { name }) : undefined;
  }

  /** GET `/udf/javascript/{id}`: eKuiper answers a missing function with 400, not 404. */
  describe(id: string): JsFunction {
    const fn = this.store.get(id);
    if (fn === undefined) throw new PluginError(`describe javascript function ${id} error: not found`);
    return fn;
  }

  /** POST: eKuiper's `Setnx` refuses an id already stored with `Item <id> already exists`. */
  async create(fn: JsFunction): Promise<void> {
    const prefix = 'javascript function create command error';
    await this.locks.run([WRITE_LOCK], async () => {
      if (this.store.has(fn.id)) throw new PluginError(`${prefix}: Item ${fn.id} already exists`);
      await this.checked(fn, prefix);
      await this.store.save(fn);
      this.renew(fn.id);
    });
  }

  /** PUT: saves under the body's id, creating the function when it is missing (eKuiper's `Set`). */
  async update(fn: JsFunction): Promise<void> {
    const prefix = 'javascript function update command error';
    await this.locks.run([WRITE_LOCK], async () => {
      await this.checked(fn, prefix);
      await this.store.save(fn);
      this.renew(fn.id);
    });
  }

  /** DELETE: a missing id answers 404, as eKuiper's store reports it. */
  async delete(id: string): Promise<void> {
    await this.locks.run([WRITE_LOCK], async () => {
      if (!(await this.store.remove(id))) {
        throw PluginError.notFound(`delete javascript function ${id} error: ${id} is not found`);
      }
      this.renew(id);
    });
  }

  private renew(id: string): void {
    this.generations.set(id, (this.generations.get(id) ?? 0) + 1);
  }

  /**
   * Calls a stored function as a rule would (eKuiper's `function.go`): arguments in order, extra ones passed and
   * missing ones `undefined`; an aggregate function gets each argument as the array of the group's values; a NaN
   * or infinite result is an error. Calls share the function's engine, and so its global variables, as a running
   * rule's calls do, until the function is saved or deleted.
   */
  async call(id: string, args: readonly unknown[]): Promise<JsCallResult> {
    const prefix = `call javascript function ${id} error`;
    const fn = this.store.get(id);
    if (fn === undefined) throw PluginError.notFound(`${prefix}: not found`);
    return this.callScript(fn, String(this.generations.get(id) ?? 0), args, prefix);
  }

  /**
   * Calls a script that is not stored (the AI generator's code under review) exactly as `call` calls a stored
   * one, in an engine of its own (`instance`): refusals and results read the same as for an installed function.
   * Nothing is saved; the name is not checked against other functions.
   */
  async trial(
    fn: Pick<JsFunction, 'id' | 'script' | 'isAgg'>,
    instance: string,
    args: readonly unknown[],
  ): Promise<JsCallResult> {
    return this.callScript(fn, `trial:${instance}`, args, `call javascript function ${fn.id} error`);
  }

  private async callScript(
    fn: Pick<JsFunction, 'id' | 'script' | 'isAgg'>,
    instance: string,
    args: readonly unknown[],
    prefix: string,
  ): Promise<JsCallResult> {
    const { id } = fn;
    if (fn.isAgg) {
      const index = args.findIndex((arg) => !Array.isArray(arg));
      if (index >= 0) {
        throw new PluginError(`${prefix}: ${hostMessage('jsAggregateArgument', { id, index: index + 1 })}`);
      }
    }
    const answer = await this.sandbox.run({
      id,
      instance,
      script: fn.script,
      args: JSON.stringify(args),
      argCount: args.length,
    });
    if (answer.stage !== 'done' || answer.result === undefined) {
      throw new PluginError(`${prefix}: ${this.failure(id, answer)}`);
    }
    const { result } = answer;
    let value: unknown = null;
    if ('number' in result) {
      if (Number.isNaN(result.number)) throw new PluginError(`${prefix}: result is NaN`);
      if (!Number.isFinite(result.number)) throw new PluginError(`${prefix}: result is Inf`);
      value = result.number;
    } else if ('json' in result && result.json !== undefined) {
      value = JSON.parse(result.json) as unknown;
    }
    return { result: value, ms: Math.round((answer.ms ?? 0) * 1000) / 1000 };
  }

  /** eKuiper's `validate`: the script runs, then must define a global function named exactly like the id. */
  private async checked(fn: JsFunction, prefix: string): Promise<void> {
    const owner = this.otherFunctionOwner(fn.id);
    if (owner !== undefined)
      throw new PluginError(`${prefix}: function name ${fn.id} already exists: ${owner}`);
    const answer = await this.sandbox.run({ id: fn.id, script: fn.script });
    if (answer.stage !== 'done') throw new PluginError(`${prefix}: ${this.failure(fn.id, answer)}`);
  }

  /** The text for anything but a result, in eKuiper's words where it has them. */
  private failure(id: string, answer: SandboxAnswer): string {
    switch (answer.stage) {
      case 'script':
        return `failed to interprete script: ${this.describeError(answer.error)}`;
      case 'lookup':
        return `cannot find function "${id}" in script`;
      case 'call':
        return this.describeError(answer.error);
      case 'crash':
      case 'stopped':
        return answer.error.message;
      case 'done':
        return 'the call returned nothing';
    }
  }

  /** A script error with QuickJS's limits put in words, and where the error is. */
  private describeError(error: ScriptError): string {
    if (error.name === 'InternalError') {
      if (error.message === 'interrupted')
        return hostMessage('jsScriptTimedOut', { ms: this.limits.deadlineMs });
      if (error.message === 'out of memory') {
        return hostMessage('jsScriptOutOfMemory', { mb: Math.round(this.limits.memoryBytes / 1024 / 1024) });
      }
      if (error.message === 'stack overflow') return hostMessage('jsScriptStackOverflow');
    }
    const text = error.name === '' ? error.message : `${error.name}: ${error.message}`;
    return error.line === undefined ? text : `${text} (line ${error.line}, column ${error.column ?? 0})`;
  }
}
