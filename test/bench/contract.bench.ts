/**
 * What the contract's zod validation adds to an IPC round trip: the `app.info` answer
 * serialised the way IPC/the bridge does it (JSON), with and without the output schema
 * check that core.call performs on every answer.
 */
import { contract, type MethodOutput } from '../../shared/contract';
import type { Suite } from './harness';

const sample: MethodOutput<'app.info'> = {
  name: 'Shotline',
  version: '0.1.0',
  dataDir: '/home/editor/.config/Shotline',
  platform: 'linux-x64',
  runtime: { node: '20.20.2', electron: null },
  ffmpeg: { path: '/usr/bin/ffmpeg', version: '7.1.2', source: 'PATH' },
  ffprobe: { path: '/usr/bin/ffprobe', version: '7.1.2', source: 'PATH' },
};
const schema = contract['app.info'].output;

const suite: Suite = {
  name: 'app.info answer: JSON round trip vs JSON + zod output check',
  unit: 'one answer',
  iterations: 20_000,
  setup: () => [
    { name: 'JSON round trip only', run: () => JSON.parse(JSON.stringify(sample)) as unknown },
    { name: 'JSON round trip + zod parse', run: () => schema.parse(JSON.parse(JSON.stringify(sample))) },
  ],
};

export default suite;
