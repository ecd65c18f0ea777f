/**
 * Saves text as a file the browser's way: a Blob behind an `<a download>`. In the desktop app
 * Electron turns the same download into its native save dialog, so one path serves both.
 */
export function downloadText(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its copy once the click is handled; free the blob a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
