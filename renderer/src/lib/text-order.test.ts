import { describe, expect, it } from 'vitest';
import { compareText } from './text-order';

/** The rule compareText follows and falls back to: Intl's collator, as the lists used before. */
const intl = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** A small seeded generator, so a failure names a case that can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('compareText', () => {
  it('orders names case-insensitively with numbers by value', () => {
    const names = ['Zeta10', 'zeta9', 'alpha', 'Alpha2', 'alpha10', 'beta', '9lives', 'a01', 'a2'];
    expect([...names].sort(compareText)).toEqual([
      '9lives',
      'a01',
      'a2',
      'alpha',
      'Alpha2',
      'alpha10',
      'beta',
      'zeta9',
      'Zeta10',
    ]);
  });

  it('agrees with Intl.Collator on letters-and-digits text (2,000 random pairs)', () => {
    const next = random(42);
    const alphabet = 'aAbBzZ0019';
    const word = () =>
      Array.from(
        { length: Math.floor(next() * 7) },
        () => alphabet[Math.floor(next() * alphabet.length)],
      ).join('');
    for (let i = 0; i < 2000; i++) {
      const a = word();
      const b = word();
      expect(Math.sign(compareText(a, b)), `${a} vs ${b}`).toBe(Math.sign(intl.compare(a, b)));
    }
  });

  it('hands any other text to Intl.Collator', () => {
    for (const [a, b] of [
      ['v1.10.0', 'v1.9.0'],
      ['my_sink', 'mySink'],
      ['插件2', '插件10'],
      ['é', 'e'],
    ] as const) {
      expect(Math.sign(compareText(a, b)), `${a} vs ${b}`).toBe(Math.sign(intl.compare(a, b)));
    }
  });
});
