import type { Handlers } from '../../../shared/contract/define';
import { describeCapabilities, type klingContract } from '../../../shared/contract/kling';
import { checkVideoRequest, outputFormat, unitsPerClip } from '../../../shared/kling';
import type { CoreContext } from '../context';

export function createKlingHandlers(_ctx: CoreContext): Handlers<typeof klingContract> {
  const capabilities = describeCapabilities();
  return {
    'kling.capabilities'() {
      return Promise.resolve(capabilities);
    },
    'kling.check'(req) {
      return Promise.resolve({
        problems: checkVideoRequest(req),
        units: unitsPerClip(req),
        output: outputFormat(req.model, req.resolution, req.aspectRatio ?? '16:9'),
      });
    },
  };
}
