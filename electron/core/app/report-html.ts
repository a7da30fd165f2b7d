/**
 * The morning report as one self-contained HTML page (issue 17 item 5): posters embedded as
 * data: URIs, inline style, no scripts, and a Content-Security-Policy that forbids loading
 * anything, so the file opens the same on a producer's machine with no network.
 */
import { readFileSync } from 'node:fs';

import type { BatchReport } from '../../../shared/contract';
import { reportTitle, shotHeading, summaryLines, takeLine } from './report-text';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function posterUri(file: string | null): string | null {
  if (!file) return null;
  try {
    return `data:image/jpeg;base64,${readFileSync(file).toString('base64')}`;
  } catch {
    return null; // a poster removed since (retention): the shot shows without it
  }
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}
h1{font-size:1.5em;margin:0 0 .3em}
.shot{display:flex;gap:1em;border-top:1px solid #ccc;padding:.8em 0;break-inside:avoid}
.shot img,.shot .none{width:192px;height:108px;object-fit:contain;background:#222;flex:none}
.shot .none{display:flex;align-items:center;justify-content:center;color:#bbb}
.shot h2{font-size:1.05em;margin:0 0 .3em}
.s-done{color:#16703a}.s-failed,.s-blocked{color:#b3261e}.s-partial,.s-running{color:#8a5a00}
ul{margin:0;padding-left:1.2em}`;

export function reportHtml(r: BatchReport): string {
  const shots = r.shots
    .map((s) => {
      const uri = posterUri(s.poster);
      const img = uri ? `<img src="${uri}" alt="Poster of ${esc(s.shotId)}">` : `<div class="none">no take done</div>`;
      const takes = s.takes.map((t) => `<li>${esc(takeLine(t))}</li>`).join('');
      return `<section class="shot" data-shot="${esc(s.shotId)}">${img}<div><h2 class="s-${s.status}">${esc(shotHeading(s))}</h2><ul>${takes}</ul></div></section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${esc(reportTitle(r))}</title><style>${STYLE}</style></head>
<body><h1>${esc(reportTitle(r))}</h1>
${summaryLines(r)
  .map((l) => `<p>${esc(l)}</p>`)
  .join('\n')}
${shots}
<p><small>Made by Shotline.</small></p>
</body></html>
`;
}
