/** Letters and digits only: nearly every plugin name, version and symbol the lists sort by. */
const ALPHANUMERIC = /^[A-Za-z0-9]*$/;

const isDigit = (code: number) => code >= 48 && code <= 57;

let collator: Intl.Collator | undefined;

/**
 * Orders text the way people read it: case-insensitive, numbers by value (`zeta9` before `Zeta10`), like
 * `Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })` in English. Letters-and-digits text is
 * compared here without Intl, because the first Intl object a fresh page builds loads ICU's data (50–150 ms of the
 * list's first paint on a 2-core machine); anything else goes to the collator, built on first need.
 */
export function compareText(a: string, b: string): number {
  if (ALPHANUMERIC.test(a) && ALPHANUMERIC.test(b)) return compareAlphanumeric(a, b);
  collator ??= new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return collator.compare(a, b);
}

/** Digit runs compare by value (leading zeros ignored), digits before letters, letters case-insensitively. */
function compareAlphanumeric(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(j);
    if (isDigit(x) && isDigit(y)) {
      let endA = i;
      let endB = j;
      while (endA < a.length && isDigit(a.charCodeAt(endA))) endA++;
      while (endB < b.length && isDigit(b.charCodeAt(endB))) endB++;
      const runA = a.slice(i, endA).replace(/^0+/, '');
      const runB = b.slice(j, endB).replace(/^0+/, '');
      if (runA.length !== runB.length) return runA.length < runB.length ? -1 : 1;
      if (runA !== runB) return runA < runB ? -1 : 1;
      i = endA;
      j = endB;
      continue;
    }
    if (isDigit(x) !== isDigit(y)) return isDigit(x) ? -1 : 1;
    // Letters: fold to lower case (a–z differ from A–Z by 32).
    const lowerX = x | 32;
    const lowerY = y | 32;
    if (lowerX !== lowerY) return lowerX < lowerY ? -1 : 1;
    i++;
    j++;
  }
  const restA = a.length - i;
  const restB = b.length - j;
  return restA === restB ? 0 : restA < restB ? -1 : 1;
}
