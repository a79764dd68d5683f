/**
 * Saves content as a file through the browser's download: a browser saves it to its downloads, Electron asks
 * where. The window's only way to hand the user a file it made or the host answered.
 */
export function saveFile(fileName: string, content: Blob): void {
  const url = URL.createObjectURL(content);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
