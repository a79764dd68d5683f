/**
 * The upper half (0x80–0xFF) of IBM code page 437, the encoding the ZIP specification assumes for names
 * without the UTF-8 flag. Node has no CP437 decoder, and zips made by Windows' own zip tool and old
 * DOS-era tools still arrive that way.
 */
const HIGH_HALF =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** Plain ASCII (nearly every name) as one string, in chunks small enough for `fromCharCode`'s arguments. */
export function decodeAscii(bytes: Uint8Array): string {
  let text = '';
  for (let at = 0; at < bytes.length; at += 8192) {
    text += String.fromCharCode(...bytes.subarray(at, at + 8192));
  }
  return text;
}

/**
 * Decodes CP437 bytes. The lower half is ASCII (as in Python's and iconv's `cp437`), so plain ASCII names —
 * nearly all of them — take a fast path.
 */
export function decodeCp437(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] ?? 0) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return decodeAscii(bytes);
  let text = '';
  for (const byte of bytes) text += byte < 0x80 ? String.fromCharCode(byte) : HIGH_HALF.charAt(byte - 0x80);
  return text;
}
