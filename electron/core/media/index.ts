/** Media pipeline public interface: probe, verify, stills, edits, timelines. */
export { probe, type ProbeOptions } from './probe';
export { verifyClip } from './verify';
export { lastFrame, thumbnails, type ThumbnailOptions } from './frames';
export { requireTool, runFfmpeg, type ToolPaths, type RunOptions } from './tools';
export { findTool, locateTool } from './locate';
