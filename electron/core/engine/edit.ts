/** `run --edit OUT.mp4`: the first good take of each shot, in storyboard order, cut into OUT by the media module. */
import { renderEdit, type ToolPaths } from '../media';

export async function cutEdit(files: string[], out: string, tools: ToolPaths = {}): Promise<string> {
  await renderEdit({ clips: files.map((file) => ({ file })) }, out, tools);
  return out;
}
