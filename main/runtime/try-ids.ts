import { randomBytes } from 'node:crypto';
import type { InstanceMeta } from './ipc-urls.js';

/**
 * Rule ids for try-it sessions: short (socket paths have a 104–108 byte limit) and random, so sessions of
 * two hosts or two tests never share a socket path.
 */
export function tryMeta(opId: string): InstanceMeta {
  return { ruleId: `try${randomBytes(4).toString('hex')}`, opId, instanceId: 0 };
}
