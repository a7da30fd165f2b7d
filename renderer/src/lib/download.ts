/** Saves text as a file through a temporary link (works in Electron and over the bridge). */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const safeFileName = (s: string): string => s.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 80) || 'storyboard';
