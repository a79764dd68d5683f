import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { binaryTarget } from '../../../main/authoring/pack/binary-target.js';
import { runsOn } from '../../../shared/pack-dto.js';
import { FIXTURES } from '../../support/host-harness.js';

/** An ELF header: class (1 = 32-bit, 2 = 64-bit), byte order (1 little, 2 big), OS ABI and machine. */
function elf(options: { bits: 32 | 64; little?: boolean; osabi?: number; machine: number }): Uint8Array {
  const bytes = new Uint8Array(64);
  bytes.set([
    0x7f,
    0x45,
    0x4c,
    0x46,
    options.bits === 64 ? 2 : 1,
    options.little === false ? 2 : 1,
    1,
    options.osabi ?? 0,
  ]);
  new DataView(bytes.buffer).setUint16(18, options.machine, options.little !== false);
  return bytes;
}

/** A PE file: the DOS stub pointing at `PE\0\0` and the COFF machine. */
function pe(machine: number): Uint8Array {
  const bytes = new Uint8Array(0x100);
  const view = new DataView(bytes.buffer);
  bytes.set([0x4d, 0x5a]);
  view.setUint32(0x3c, 0x80, true);
  view.setUint32(0x80, 0x50450000, false);
  view.setUint16(0x84, machine, true);
  return bytes;
}

/** A thin Mach-O header (as written on little-endian Macs) with its CPU type. */
function macho(cputype: number, bits: 32 | 64 = 64): Uint8Array {
  const bytes = new Uint8Array(32);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, bits === 64 ? 0xfeedfacf : 0xfeedface, true);
  view.setUint32(4, cputype, true);
  return bytes;
}

/** A universal binary's header (big-endian) listing slices of these CPU types. */
function fat(cputypes: number[]): Uint8Array {
  const bytes = new Uint8Array(8 + cputypes.length * 20);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0xcafebabe, false);
  view.setUint32(4, cputypes.length, false);
  cputypes.forEach((cpu, index) => view.setUint32(8 + index * 20, cpu, false));
  return bytes;
}

describe("a program's OS and architecture, from its header, in Go's names", () => {
  test("the fixture's real Go mirror binary: linux/amd64", async () => {
    const files = unzipSync(await readFile(join(FIXTURES, 'portable/mirror.zip')), {
      filter: (file) => file.name === 'mirror2',
    });
    expect(binaryTarget(files.mirror2!.subarray(0, 4096))).toEqual({
      format: 'elf',
      os: 'linux',
      arch: 'amd64',
    });
  });

  test.each([
    [{ bits: 64, machine: 183 }, 'linux', 'arm64'],
    [{ bits: 32, machine: 40 }, 'linux', 'arm'],
    [{ bits: 32, machine: 3 }, 'linux', '386'],
    [{ bits: 64, machine: 243 }, 'linux', 'riscv64'],
    [{ bits: 64, machine: 21 }, 'linux', 'ppc64le'],
    [{ bits: 64, machine: 21, little: false }, 'linux', 'ppc64'],
    [{ bits: 32, machine: 8 }, 'linux', 'mipsle'],
    [{ bits: 64, machine: 8, little: false }, 'linux', 'mips64'],
    [{ bits: 64, machine: 22, little: false }, 'linux', 's390x'],
    [{ bits: 64, machine: 62, osabi: 9 }, 'freebsd', 'amd64'],
  ] as const)('ELF %o → %s/%s', (header, os, arch) => {
    expect(binaryTarget(elf(header))).toEqual({ format: 'elf', os, arch });
  });

  test.each([
    [0x8664, 'amd64'],
    [0xaa64, 'arm64'],
    [0x14c, '386'],
    [0x1c4, 'arm'],
  ])('PE machine 0x%s → windows/%s', (machine, arch) => {
    expect(binaryTarget(pe(machine))).toEqual({ format: 'pe', os: 'windows', arch });
  });

  test('Mach-O: arm64, amd64, and a universal binary of both', () => {
    expect(binaryTarget(macho(0x0100000c))).toEqual({ format: 'macho', os: 'darwin', arch: 'arm64' });
    expect(binaryTarget(macho(0x01000007))).toEqual({ format: 'macho', os: 'darwin', arch: 'amd64' });
    const universal = binaryTarget(fat([0x0100000c, 0x01000007]))!;
    expect(universal).toEqual({ format: 'macho', os: 'darwin', arch: 'amd64+arm64' });
    expect(runsOn(universal, 'darwin', 'arm64')).toBe(true);
    expect(runsOn(universal, 'linux', 'arm64')).toBe(false);
    expect(runsOn({ format: 'pe', os: 'windows', arch: 'amd64' }, 'win32', 'amd64')).toBe(true);
  });

  test('not programs: a script, a Java class (same magic as a universal binary), a DOS stub, nothing', () => {
    expect(binaryTarget(new TextEncoder().encode('#!/bin/sh\necho hi\n'))).toBeUndefined();
    const javaClass = new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61]);
    expect(binaryTarget(javaClass)).toBeUndefined();
    expect(binaryTarget(new Uint8Array([0x4d, 0x5a, 0, 0]))).toBeUndefined();
    expect(binaryTarget(new Uint8Array())).toBeUndefined();
  });

  test('an unknown machine is named by its number rather than guessed', () => {
    expect(binaryTarget(elf({ bits: 64, machine: 999 }))?.arch).toBe('elf-machine-999');
  });
});
