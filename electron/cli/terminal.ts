/**
 * Text the CLI prints comes partly from elsewhere (a provider's error message, a task's
 * status text, a file name): terminal control sequences in it could rewrite the screen, set
 * the window title, plant hyperlinks or fake a prompt (issue 16.7). Every line the CLI writes
 * passes through here (electron/cli/main.ts): escape sequences (CSI, OSC, others), C1
 * controls and C0 controls other than tab and newline are removed; a lone carriage return
 * (which would overwrite the line) too, CRLF is kept for CSV.
 */
/* eslint-disable no-control-regex -- matching control characters is the point here */
const SEQUENCES = [
  /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g, // OSC ... BEL or ST (titles, hyperlinks)
  /\u001b\[[0-?]*[ -/]*[@-~]/g, // CSI (cursor, colours, clear screen)
  /\u001b[P^_X][^\u001b]*(?:\u001b\\)?/g, // DCS, PM, APC, SOS strings
  /\u001b[ -/]*[0-~]?/g, // any other escape
  /\u009b[0-?]*[ -/]*[@-~]/g, // 8-bit CSI
];

export function stripTerminalControls(text: string): string {
  let t = text;
  for (const re of SEQUENCES) t = t.replace(re, '');
  return t.replace(/\r(?!\n)/g, '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '');
}
/* eslint-enable no-control-regex */
