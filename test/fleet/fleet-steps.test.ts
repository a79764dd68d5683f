import { expect, test } from 'vitest';
import { fileUrlOf, htmlUnescape } from '../../main/fleet/fleet-steps.js';
import { fileUrlPath } from '../../main/plugins/zip-source.js';

test.each([
  ['/kuiper/data/uploads/x-1a2b.zip', 'file:///kuiper/data/uploads/x-1a2b.zip'],
  ['C:\\eKuiper\\data\\uploads\\x.zip', 'file:///C:/eKuiper/data/uploads/x.zip'],
  ['/data/up loads/50%#1?.zip', 'file:///data/up loads/50%25%231%3F.zip'],
])('the path a server answered, %s, as the file URL it installs from', (path, url) => {
  expect(fileUrlOf(path)).toBe(url);
  // Read back as eKuiper (and this host) read a file URL: the same path, with forward slashes.
  expect(fileUrlPath(url)).toBe(path.replace(/\\/g, '/'));
});

test("eKuiper's HTML-escaped upload path is read back as it was", () => {
  expect(htmlUnescape('/data/uploads/a&amp;b&#39;c&lt;d&gt;&#34;e.zip')).toBe(`/data/uploads/a&b'c<d>"e.zip`);
  expect(htmlUnescape('/plain/path.zip')).toBe('/plain/path.zip');
});
