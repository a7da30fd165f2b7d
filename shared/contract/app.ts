import { z } from 'zod';

import { method } from './define';

export const ToolInfo = z.object({
  path: z.string().nullable(),
  version: z.string().nullable(),
  /** Where the path came from: configured, bundled, PATH; or why it is missing. */
  source: z.string(),
});

export const AppInfo = z.object({
  name: z.literal('Shotline'),
  version: z.string(),
  dataDir: z.string(),
  platform: z.string(),
  runtime: z.object({ node: z.string(), electron: z.string().nullable() }),
  ffmpeg: ToolInfo,
  ffprobe: ToolInfo,
});
export type AppInfo = z.infer<typeof AppInfo>;

export const DiagnosticCheck = z.object({
  id: z.string(),
  status: z.enum(['pass', 'warn', 'fail']),
  message: z.string(),
  /** The file or folder the message names, so a page can show it as a PathLabel instead of raw text. */
  path: z.string().optional(),
});
export type DiagnosticCheck = z.infer<typeof DiagnosticCheck>;

export const appContract = {
  'app.info': method(z.object({}).strict(), AppInfo, 'Version, data dir and the ffmpeg/ffprobe in use.'),
  'app.diagnostics': method(
    z.object({}).strict(),
    z.object({ checks: z.array(DiagnosticCheck) }),
    'Runs the start-up checks; each one is also sent as an app.notice event as it finishes.',
  ),
  'app.showInFolder': method(
    z.object({ path: z.string().min(1).max(4096) }).strict(),
    z.object({ opened: z.string(), via: z.enum(['electron', 'opener']) }),
    "Shows an existing file or folder in the OS file manager (Electron's shell, or open -R / explorer /select, / xdg-open).",
  ),
} as const;

export const appEvents = {
  'app.notice': z.object({
    level: z.enum(['info', 'warn', 'error']),
    message: z.string(),
    check: DiagnosticCheck.optional(),
  }),
} as const;
