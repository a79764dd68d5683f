import { describe, expect, it } from 'vitest';
import type { PackResult } from '../../../shared/pack-dto';
import type { ServerCheck, ServerInfo } from '../../../shared/server-dto';
import { executableRunsOn } from './DeployDialog';

/** Deploy holds back a server only when both its platform and the executable's are known and differ. */

const packed = (binary: PackResult['binary']): PackResult =>
  ({ name: 'mirror', binary, path: '/tmp/mirror.zip', sha256: 'x', size: 1 }) as PackResult;

function server(health: Partial<ServerCheck> | undefined): ServerInfo {
  return {
    id: 'edge',
    name: 'edge',
    health:
      health === undefined ? undefined : ({ reachable: true, os: '', arch: '', ...health } as ServerCheck),
  } as ServerInfo;
}

describe('whether the packaged executable runs on a server', () => {
  const amd64 = packed({ format: 'elf', os: 'linux', arch: 'amd64' });

  it('compares the header with the server’s last check', () => {
    expect(executableRunsOn(amd64, server({ os: 'linux', arch: 'amd64' }))).toBe(true);
    expect(executableRunsOn(amd64, server({ os: 'linux', arch: 'arm64' }))).toBe(false);
    expect(executableRunsOn(amd64, server({ os: 'windows', arch: 'amd64' }))).toBe(false);
  });

  it('knows nothing for Python plugins, unchecked or unreachable servers', () => {
    expect(executableRunsOn(packed(undefined), server({ os: 'linux', arch: 'arm64' }))).toBeUndefined();
    expect(executableRunsOn(amd64, server(undefined))).toBeUndefined();
    expect(executableRunsOn(amd64, server({ reachable: false, os: 'linux', arch: 'arm64' }))).toBeUndefined();
  });

  it('reads this computer’s own check (Node names Windows win32)', () => {
    const windows = packed({ format: 'pe', os: 'windows', arch: 'amd64' });
    expect(executableRunsOn(windows, server({ os: 'win32', arch: 'amd64' }))).toBe(true);
  });
});
