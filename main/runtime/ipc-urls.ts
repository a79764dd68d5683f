/**
 * The socket addresses eKuiper's plugin SDKs dial or listen on. They are fixed by the SDKs (a plugin computes
 * them itself from its name, its symbols and the rule's ids), so the host must use exactly these.
 */

/** The control channel: one per plugin, the host listens (REP). */
export function controlUrl(plugin: string): string {
  return `ipc:///tmp/plugin_${plugin}.ipc`;
}

/** A function symbol's call channel: one per symbol, the host listens (REP). Function names are global. */
export function functionUrl(symbol: string): string {
  return `ipc:///tmp/func_${symbol}.ipc`;
}

/** Where a source or sink instance of a rule exchanges data. */
export interface InstanceMeta {
  ruleId: string;
  opId: string;
  instanceId: number;
}

/** Source data (host PULL listens) or sink data (plugin PULL listens). */
export function dataUrl(meta: InstanceMeta): string {
  return `ipc:///tmp/${meta.ruleId}_${meta.opId}_${meta.instanceId}.ipc`;
}

/** Sink acknowledgements (host PULL listens, plugin PUSH dials). */
export function ackUrl(meta: InstanceMeta): string {
  return `ipc:///tmp/${meta.ruleId}_${meta.opId}_${meta.instanceId}_ack.ipc`;
}
