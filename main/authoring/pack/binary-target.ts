import type { BinaryTarget } from '../../../shared/pack-dto.js';

/** How many bytes of a file `binaryTarget` needs at most: the headers, and a PE's header wherever it points. */
export const BINARY_HEADER_BYTES = 4096;

/** ELF `e_machine` → GOARCH (64-bit and big-endian variants resolved below). */
const ELF_MACHINES: Record<number, string> = {
  3: '386',
  8: 'mips',
  20: 'ppc',
  21: 'ppc64',
  22: 's390x',
  40: 'arm',
  62: 'amd64',
  183: 'arm64',
  243: 'riscv64',
  258: 'loong64',
};

/** ELF `EI_OSABI` → GOOS. Go writes 0 (System V) for Linux, and the BSDs' own values for them. */
const ELF_OSABI: Record<number, string> = {
  0: 'linux',
  2: 'netbsd',
  3: 'linux',
  6: 'solaris',
  9: 'freebsd',
  12: 'openbsd',
};

/** PE `Machine` → GOARCH. */
const PE_MACHINES: Record<number, string> = {
  0x14c: '386',
  0x8664: 'amd64',
  0xaa64: 'arm64',
  0x1c0: 'arm',
  0x1c4: 'arm',
};

/** Mach-O `cputype` → GOARCH. */
const MACHO_CPUS: Record<number, string> = {
  7: '386',
  0x01000007: 'amd64',
  12: 'arm',
  0x0100000c: 'arm64',
};

function elfTarget(view: DataView): BinaryTarget | undefined {
  if (view.byteLength < 20) return undefined;
  const is64 = view.getUint8(4) === 2;
  const littleEndian = view.getUint8(5) !== 2;
  const machine = view.getUint16(18, littleEndian);
  let arch = ELF_MACHINES[machine] ?? `elf-machine-${machine}`;
  if (arch === 'mips') arch = (is64 ? 'mips64' : 'mips') + (littleEndian ? 'le' : '');
  if (arch === 'ppc64' && littleEndian) arch = 'ppc64le';
  const osabi = view.getUint8(7);
  return { format: 'elf', os: ELF_OSABI[osabi] ?? `elf-osabi-${osabi}`, arch };
}

function peTarget(view: DataView): BinaryTarget | undefined {
  if (view.byteLength < 0x40) return undefined;
  const at = view.getUint32(0x3c, true);
  if (at + 6 > view.byteLength || view.getUint32(at, false) !== 0x50450000) return undefined;
  const machine = view.getUint16(at + 4, true);
  return {
    format: 'pe',
    os: 'windows',
    arch: PE_MACHINES[machine] ?? `pe-machine-0x${machine.toString(16)}`,
  };
}

const macArch = (cpu: number): string => MACHO_CPUS[cpu] ?? `macho-cpu-${cpu}`;

function machoTarget(view: DataView, littleEndian: boolean): BinaryTarget | undefined {
  if (view.byteLength < 8) return undefined;
  return { format: 'macho', os: 'darwin', arch: macArch(view.getUint32(4, littleEndian)) };
}

/** A universal binary: its slices' architectures. Java class files share the magic, with a far larger count. */
function fatTarget(view: DataView): BinaryTarget | undefined {
  if (view.byteLength < 8) return undefined;
  const count = view.getUint32(4, false);
  if (count === 0 || count > 16 || 8 + count * 20 > view.byteLength) return undefined;
  const archs: string[] = [];
  for (let index = 0; index < count; index++) archs.push(macArch(view.getUint32(8 + index * 20, false)));
  return { format: 'macho', os: 'darwin', arch: [...new Set(archs)].sort().join('+') };
}

/**
 * What OS and architecture a program was built for, read from its header (ELF, PE or Mach-O) and named as Go
 * names them, or undefined when the bytes are not such a program. A Go plugin's executable is run directly by
 * eKuiper, so one built for another `GOOS`/`GOARCH` than the server's fails there only after the upload.
 */
export function binaryTarget(header: Uint8Array): BinaryTarget | undefined {
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (view.byteLength < 4) return undefined;
  const magic = view.getUint32(0, false);
  if (magic === 0x7f454c46) return elfTarget(view);
  if (view.getUint16(0, false) === 0x4d5a) return peTarget(view);
  if (magic === 0xfeedface || magic === 0xfeedfacf) return machoTarget(view, false);
  if (magic === 0xcefaedfe || magic === 0xcffaedfe) return machoTarget(view, true);
  if (magic === 0xcafebabe) return fatTarget(view);
  return undefined;
}
