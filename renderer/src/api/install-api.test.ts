import { describe, expect, test } from 'vitest';
import { htmlUnescape } from './install-api';

describe('htmlUnescape', () => {
  test('undoes what the host escapes in an upload path, as Go HTMLEscapeString writes it', () => {
    expect(htmlUnescape('/data/uploads/a&amp;b &lt;c&gt; &#34;d&#34; &#39;e&#39;.zip')).toBe(
      `/data/uploads/a&b <c> "d" 'e'.zip`,
    );
  });

  test('an escaped ampersand stays literal text after unescaping', () => {
    expect(htmlUnescape('/up/&amp;lt;.zip')).toBe('/up/&lt;.zip');
  });
});
