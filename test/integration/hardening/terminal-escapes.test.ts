/**
 * Issue 16.7: terminal escape sequences in a provider's messages never reach the terminal.
 * Attack reproduced: a hostile API (a real loopback HTTP server speaking Kling's error format)
 * answers with a message that clears the screen, sets the window title, plants a hyperlink
 * and overwrites the line with a carriage return; `shotline run` prints the job's error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { stripTerminalControls } from '../../../electron/cli/terminal';

const EVIL =
  'bad prompt\u001b[2J\u001b]0;pwned title\u0007 see \u001b]8;;https://evil.example\u0007here\u001b]8;;\u0007\rOK: all paid\u009b31m';
let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shotline-esc-'));
  writeFileSync(
    join(dir, 'b.json'),
    JSON.stringify({
      name: 'b',
      shots: [
        {
          id: 'a',
          prompt: 'a kite',
          model: 'kling-2.5-turbo',
          resolution: '720p',
          duration: 5,
          aspectRatio: '16:9',
          takes: 1,
        },
      ],
    }),
  );
  server = createServer((_req, res) => {
    res
      .writeHead(400, { 'content-type': 'application/json' })
      .end(JSON.stringify({ code: 1201, message: EVIL, request_id: 'req-1' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('provider messages cannot drive the terminal (issue 16.7)', () => {
  it('shotline run prints the error without escape sequences, C1 controls or a lone CR', async () => {
    let out = '';
    const code = await runCli(
      ['run', 'b.json', '--provider', 'sandbox', '--base-url', base, '--data-dir', join(dir, 'data')],
      {
        stdout: (t) => void (out += t),
        stderr: (t) => void (out += t),
        readStdin: () => Promise.resolve(''),
        env: { PATH: process.env.PATH },
        cwd: dir,
      },
    );
    expect(code).toBe(1);
    expect(out).toContain('bad prompt');
    expect(out).toContain('see here'); // the text stays readable, only the controls are gone
    expect(out).not.toContain('pwned title'); // a window title is control, not text
    for (const c of ['\u001b', '\u0007', '\u009b']) expect(out).not.toContain(c);
    expect(out).not.toMatch(/\r(?!\n)/);
  });

  it('stripTerminalControls keeps text, tabs, newlines and CRLF', () => {
    expect(stripTerminalControls('a\tb\nc\r\nd')).toBe('a\tb\nc\r\nd');
    expect(stripTerminalControls('\u001b[31mred\u001b[0m \u001b]0;t\u001b\\x\u0000\u007f')).toBe('red x');
  });
});
