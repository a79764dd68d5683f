import { createCipheriv, createHash } from 'node:crypto';

const BLOCK = 1024 * 1024;

/**
 * A seeded, deterministic source of incompressible bytes: the AES-256-CTR keystream under a key derived
 * from the seed. It is a PRNG whose output is indistinguishable from random (so deflate cannot shrink it)
 * and runs at well over 1 GB/s, so fixtures of hundreds of megabytes cost a fraction of a second.
 * The same seed always yields the same sequence, on every machine.
 */
export class SeededRandom {
  private readonly cipher;
  private pool = Buffer.alloc(0);
  private offset = 0;

  constructor(seed: string) {
    const key = createHash('sha256').update(`ekuiper-bench:${seed}`).digest();
    this.cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  }

  /** The next `length` bytes of the stream (a fresh buffer the caller may keep or change). */
  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      if (this.offset === this.pool.length) {
        this.pool = this.cipher.update(Buffer.alloc(Math.max(BLOCK, length - filled)));
        this.offset = 0;
      }
      const take = Math.min(length - filled, this.pool.length - this.offset);
      this.pool.copy(out, filled, this.offset, this.offset + take);
      this.offset += take;
      filled += take;
    }
    return out;
  }

  /** A uniformly distributed integer in [min, max]. */
  int(min: number, max: number): number {
    const span = max - min + 1;
    return min + (this.bytes(4).readUInt32LE(0) % span);
  }
}
