/** Media pipeline public interface: probe, verify, stills, edits, timelines. */
export { probe, type ProbeOptions } from './probe';
export { probeRemote, type RemoteProbe, type RemoteProbeOptions } from './remote-probe';
export { verifyClip } from './verify';
export { lastFrame, stillDir, thumbnails, type ThumbnailOptions } from './frames';
export { requireTool, runFfmpeg, type ToolPaths, type RunOptions } from './tools';
export { findTool, locateTool } from './locate';
export { planEdit, clipDuration, frameLayout, videoFrames } from './plan';
export { renderEdit, concatLine, copyArgs, reencodeArgs, type RenderOptions, type RenderResult } from './render';
export { containerFor, PRESETS, stripMetadataArgs, type Preset } from './presets';
export {
  layoutEdit,
  writeTimeline,
  writeTimelinesBeside,
  timelinePath,
  parseTimelineFormats,
  toFcp7,
  toEdl,
  toFcpxml,
  toOtio,
  timecode,
  ascii,
  TIMELINE_EXT,
  type Layout,
  type LaidClip,
  type LaidAlternate,
} from './timelines';
export { collectTimeline, mediaFolderOf, readableStem, safeMediaName, type Collected } from './collect';
export { splitScene, SPLIT_CRF, type SplitOptions } from './split';
