/**
 * NLE hand-off: the edit as FCP7 XML (xmeml v4: Premiere, Resolve), CMX3600 EDL, FCPXML 1.9
 * (Final Cut Pro) and OpenTimelineIO JSON. Times are whole frames at the clips' real frame
 * rate (the plan's target). A crossfade becomes a centred dissolve: the cut sits in the
 * middle of the overlap and each side uses half the fade as handle, so the timeline has
 * the same length as the rendered edit. Alternate takes are disabled clips on a track
 * above (FCP7, FCPXML lane 1, OTIO) or comments (EDL). Prompt and model go in clip notes.
 */
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { Edit, type EditPlan, type TimelineFormat } from '../../../shared/media';

interface Rate {
  num: number;
  den: number;
  fps: number;
  /** Integer timebase for xmeml/EDL (30 for 29.97 with ntsc=TRUE). */
  base: number;
  ntsc: boolean;
}

function rateOf(fraction: string): Rate {
  const [n = 30, d = 1] = fraction.split('/').map(Number);
  const fps = n / (d || 1);
  return { num: n, den: d || 1, fps, base: Math.round(fps), ntsc: d === 1001 };
}

export interface LaidClip {
  index: number;
  file: string;
  url: string;
  name: string;
  prompt?: string | undefined;
  model?: string | undefined;
  alternates: string[];
  hasAudio: boolean;
  /** Frames: source in/out (out exclusive), record start/end, and the whole file. */
  srcIn: number;
  srcOut: number;
  recIn: number;
  recOut: number;
  fileFrames: number;
  width: number;
  height: number;
  /** Dissolve into the next clip, in frames (0 = cut). */
  fadeOut: number;
}

export interface Layout {
  title: string;
  rate: Rate;
  width: number;
  height: number;
  clips: LaidClip[];
  totalFrames: number;
}

export function layoutEdit(input: Edit, plan: EditPlan): Layout {
  const edit = Edit.parse(input);
  const rate = rateOf(plan.target.fpsFraction);
  const f = (s: number): number => Math.round(s * rate.fps);
  let rec = 0;
  let carry = 0; // frames of the previous fade taken from this clip's head
  const clips = edit.clips.map((c, i) => {
    const p = plan.probes[i] as EditPlan['probes'][number];
    const fade = c.transition && i < edit.clips.length - 1 ? f(c.transition.seconds) : 0;
    const srcIn = f(c.inS ?? 0) + carry;
    const srcOut = f(c.inS ?? 0) + f(plan.clipDurationsS[i] ?? 0) - Math.floor(fade / 2);
    const laid: LaidClip = {
      index: i,
      file: resolve(c.file),
      url: pathToFileURL(resolve(c.file)).href,
      name: c.name ?? basename(c.file),
      prompt: c.prompt,
      model: c.model,
      alternates: (c.alternates ?? []).map((a) => resolve(a)),
      hasAudio: Boolean(p.audio),
      srcIn,
      srcOut,
      recIn: rec,
      recOut: rec + (srcOut - srcIn),
      fileFrames: f(p.durationS),
      width: p.video?.width ?? plan.target.width,
      height: p.video?.height ?? plan.target.height,
      fadeOut: fade,
    };
    rec = laid.recOut;
    carry = fade - Math.floor(fade / 2);
    return laid;
  });
  return { title: edit.title ?? 'Shotline edit', rate, width: plan.target.width, height: plan.target.height, clips, totalFrames: rec };
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const note = (c: LaidClip): string => [c.prompt ? `Prompt: ${c.prompt}` : '', c.model ? `Model: ${c.model}` : ''].filter(Boolean).join(' | ');

// ---------- FCP7 XML ----------
export function toFcp7(l: Layout): string {
  const rate = `<rate><timebase>${l.rate.base}</timebase><ntsc>${l.rate.ntsc ? 'TRUE' : 'FALSE'}</ntsc></rate>`;
  const fileEl = (id: string, path: string, c: LaidClip, full: boolean): string =>
    full
      ? `<file id="${id}"><name>${esc(basename(path))}</name><pathurl>${esc(pathToFileURL(path).href)}</pathurl>${rate}<duration>${c.fileFrames}</duration><media><video><samplecharacteristics><width>${c.width}</width><height>${c.height}</height></samplecharacteristics></video>${c.hasAudio ? '<audio><channelcount>2</channelcount></audio>' : ''}</media></file>`
      : `<file id="${id}"/>`;
  const item = (id: string, fileId: string, path: string, c: LaidClip, enabled: boolean, full: boolean, media: 'video' | 'audio'): string =>
    `<clipitem id="${id}"><name>${esc(enabled ? c.name : `${basename(path)} (alternate)`)}</name><enabled>${enabled ? 'TRUE' : 'FALSE'}</enabled><duration>${c.fileFrames}</duration>${rate}<start>${c.recIn}</start><end>${c.recOut}</end><in>${c.srcIn}</in><out>${c.srcOut}</out>${fileEl(fileId, path, c, full)}${media === 'audio' ? '<sourcetrack><mediatype>audio</mediatype><trackindex>1</trackindex></sourcetrack>' : ''}${note(c) && media === 'video' ? `<comments><mastercomment1>${esc(c.prompt ?? '')}</mastercomment1><mastercomment2>${esc(c.model ?? '')}</mastercomment2></comments><logginginfo><description>${esc(note(c))}</description></logginginfo>` : ''}</clipitem>`;
  const v1: string[] = [];
  const a1: string[] = [];
  const v2: string[] = [];
  for (const c of l.clips) {
    v1.push(item(`clipitem-v${c.index + 1}`, `file-${c.index + 1}`, c.file, c, true, true, 'video'));
    if (c.hasAudio) a1.push(item(`clipitem-a${c.index + 1}`, `file-${c.index + 1}`, c.file, c, true, false, 'audio'));
    c.alternates.forEach((alt, k) => v2.push(item(`clipitem-alt${c.index + 1}-${k + 1}`, `file-alt${c.index + 1}-${k + 1}`, alt, c, false, true, 'video')));
    if (c.fadeOut > 0) {
      const half = Math.floor(c.fadeOut / 2);
      v1.push(
        `<transitionitem><start>${c.recOut - half}</start><end>${c.recOut - half + c.fadeOut}</end><alignment>center</alignment>${rate}<effect><name>Cross Dissolve</name><effectid>Cross Dissolve</effectid><effectcategory>Dissolve</effectcategory><effecttype>transition</effecttype><mediatype>video</mediatype></effect></transitionitem>`,
      );
    }
  }
  const tracks = [`<track>${v1.join('')}</track>`, ...(v2.length ? [`<track>${v2.join('')}</track>`] : [])].join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE xmeml>
<xmeml version="4"><sequence id="sequence-1"><name>${esc(l.title)}</name><duration>${l.totalFrames}</duration>${rate}<timecode>${rate}<string>00:00:00:00</string><frame>0</frame><displayformat>NDF</displayformat></timecode><media><video><format><samplecharacteristics>${rate}<width>${l.width}</width><height>${l.height}</height><pixelaspectratio>square</pixelaspectratio></samplecharacteristics></format>${tracks}</video><audio>${a1.length ? `<track>${a1.join('')}</track>` : ''}</audio></media></sequence></xmeml>
`;
}

// ---------- CMX3600 EDL ----------
export function timecode(frames: number, base: number): string {
  const ff = frames % base;
  const total = Math.floor(frames / base);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(total / 3600))}:${p(Math.floor(total / 60) % 60)}:${p(total % 60)}:${p(ff)}`;
}

/** Reel names are 8 chars max in CMX3600; the file goes in FROM CLIP NAME / SOURCE FILE comments. */
export function toEdl(l: Layout): string {
  const REC0 = 3600 * l.rate.base; // record starts at 01:00:00:00
  const tc = (n: number): string => timecode(n, l.rate.base);
  const lines = [`TITLE: ${l.title.replace(/[\r\n]/g, ' ').slice(0, 70)}`, 'FCM: NON-DROP FRAME', ''];
  let ev = 0;
  let prev: { c: LaidClip; reel: string } | null = null;
  for (const c of l.clips) {
    const reel = `AX`;
    const track = c.hasAudio ? 'AA/V' : 'V';
    const num = (): string => String(++ev).padStart(3, '0');
    if (prev && prev.c.fadeOut > 0) {
      const half = Math.floor(prev.c.fadeOut / 2);
      const start = c.recIn - (prev.c.fadeOut - half);
      const n = num();
      lines.push(`${n}  ${prev.reel.padEnd(8)} ${track.padEnd(5)} C        ${tc(prev.c.srcOut - half)} ${tc(prev.c.srcOut - half)} ${tc(REC0 + start)} ${tc(REC0 + start)}`);
      lines.push(`${n}  ${reel.padEnd(8)} ${track.padEnd(5)} D    ${String(prev.c.fadeOut).padStart(3, '0')} ${tc(c.srcIn - (prev.c.fadeOut - half))} ${tc(c.srcOut)} ${tc(REC0 + start)} ${tc(REC0 + c.recOut)}`);
      lines.push(`* FROM CLIP NAME: ${prev.c.name}`);
      lines.push(`* TO CLIP NAME: ${c.name}`);
    } else {
      lines.push(`${num()}  ${reel.padEnd(8)} ${track.padEnd(5)} C        ${tc(c.srcIn)} ${tc(c.srcOut)} ${tc(REC0 + c.recIn)} ${tc(REC0 + c.recOut)}`);
      lines.push(`* FROM CLIP NAME: ${c.name}`);
    }
    lines.push(`* SOURCE FILE: ${c.file}`);
    if (note(c)) lines.push(`* COMMENT: ${note(c).replace(/[\r\n]+/g, ' ')}`);
    for (const alt of c.alternates) lines.push(`* ALTERNATE TAKE: ${alt}`);
    lines.push('');
    prev = { c, reel };
  }
  return lines.join('\n');
}

// ---------- FCPXML ----------
export function toFcpxml(l: Layout): string {
  const t = (frames: number): string => (frames === 0 ? '0s' : `${frames * l.rate.den}/${l.rate.num}s`);
  const assets = new Map<string, { id: string; c: LaidClip }>();
  const assetFor = (path: string, c: LaidClip): string => {
    const got = assets.get(path);
    if (got) return got.id;
    const id = `r${assets.size + 2}`;
    assets.set(path, { id, c });
    return id;
  };
  const spine: string[] = [];
  for (const c of l.clips) {
    const ref = assetFor(c.file, c);
    const alts = c.alternates
      .map((alt) => `<asset-clip ref="${assetFor(alt, c)}" lane="1" name="${esc(`${basename(alt)} (alternate)`)}" offset="${t(c.srcIn)}" start="${t(c.srcIn)}" duration="${t(c.recOut - c.recIn)}" enabled="0"/>`)
      .join('');
    spine.push(
      `<asset-clip ref="${ref}" name="${esc(c.name)}" offset="${t(c.recIn)}" start="${t(c.srcIn)}" duration="${t(c.recOut - c.recIn)}" format="r1" tcFormat="NDF">${note(c) ? `<note>${esc(note(c))}</note>` : ''}${alts}</asset-clip>`,
    );
    if (c.fadeOut > 0) spine.push(`<transition name="Cross Dissolve" offset="${t(c.recOut - Math.floor(c.fadeOut / 2))}" duration="${t(c.fadeOut)}"/>`);
  }
  const res = [...assets.entries()]
    .map(
      ([path, { id, c }]) =>
        `<asset id="${id}" name="${esc(basename(path))}" start="0s" duration="${t(c.fileFrames)}" hasVideo="1" format="r1"${c.hasAudio ? ' hasAudio="1" audioSources="1" audioChannels="2"' : ''}><media-rep kind="original-media" src="${esc(pathToFileURL(path).href)}"/></asset>`,
    )
    .join('\n    ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE fcpxml>
<fcpxml version="1.9">
  <resources>
    <format id="r1" frameDuration="${t(1)}" width="${l.width}" height="${l.height}"/>
    ${res}
  </resources>
  <library>
    <event name="${esc(l.title)}">
      <project name="${esc(l.title)}">
        <sequence format="r1" duration="${t(l.totalFrames)}" tcStart="0s" tcFormat="NDF" audioLayout="stereo" audioRate="48k">
          <spine>${spine.join('')}</spine>
        </sequence>
      </project>
    </event>
  </library>
</fcpxml>
`;
}

// ---------- OpenTimelineIO ----------
export function toOtio(l: Layout): string {
  const rt = (v: number): object => ({ OTIO_SCHEMA: 'RationalTime.1', rate: l.rate.fps, value: v });
  const range = (start: number, dur: number): object => ({ OTIO_SCHEMA: 'TimeRange.1', start_time: rt(start), duration: rt(dur) });
  const clip = (name: string, path: string, c: LaidClip, enabled: boolean): object => ({
    OTIO_SCHEMA: 'Clip.2',
    name,
    enabled,
    source_range: range(c.srcIn, c.srcOut - c.srcIn),
    media_references: { DEFAULT_MEDIA: { OTIO_SCHEMA: 'ExternalReference.1', name: basename(path), target_url: pathToFileURL(path).href, available_range: range(0, c.fileFrames), metadata: {} } },
    active_media_reference_key: 'DEFAULT_MEDIA',
    metadata: { shotline: { prompt: c.prompt ?? null, model: c.model ?? null, note: note(c) } },
    effects: [],
    markers: [],
  });
  const gap = (dur: number): object => ({ OTIO_SCHEMA: 'Gap.1', name: '', source_range: range(0, dur), metadata: {}, effects: [], markers: [], enabled: true });
  const main: object[] = [];
  const alt: object[] = [];
  let altPos = 0;
  for (const c of l.clips) {
    main.push(clip(c.name, c.file, c, true));
    if (c.fadeOut > 0) {
      const half = Math.floor(c.fadeOut / 2);
      main.push({ OTIO_SCHEMA: 'Transition.1', name: 'Cross Dissolve', transition_type: 'SMPTE_Dissolve', in_offset: rt(half), out_offset: rt(c.fadeOut - half), metadata: {} });
    }
    for (const a of c.alternates.slice(0, 1)) {
      if (c.recIn > altPos) alt.push(gap(c.recIn - altPos));
      alt.push(clip(`${basename(a)} (alternate)`, a, c, false));
      altPos = c.recOut;
    }
  }
  const track = (name: string, children: object[]): object => ({ OTIO_SCHEMA: 'Track.1', name, kind: 'Video', children, source_range: null, metadata: {}, effects: [], markers: [], enabled: true });
  const audio = { OTIO_SCHEMA: 'Track.1', name: 'A1', kind: 'Audio', source_range: null, metadata: {}, effects: [], markers: [], enabled: true, children: l.clips.map((c) => (c.hasAudio ? clip(c.name, c.file, c, true) : gap(c.recOut - c.recIn))) };
  const timeline = {
    OTIO_SCHEMA: 'Timeline.1',
    name: l.title,
    global_start_time: rt(0),
    metadata: { shotline: { width: l.width, height: l.height, fps: l.rate.fps } },
    tracks: { OTIO_SCHEMA: 'Stack.1', name: 'tracks', children: [track('V1', main), ...(alt.length ? [track('V2 alternates', alt)] : []), audio], source_range: null, metadata: {}, effects: [], markers: [], enabled: true },
  };
  return `${JSON.stringify(timeline, null, 2)}\n`;
}

export const TIMELINE_EXT: Record<TimelineFormat, string> = { fcp7: '.xml', edl: '.edl', fcpxml: '.fcpxml', otio: '.otio' };

export function writeTimeline(format: TimelineFormat, edit: Edit, plan: EditPlan): string {
  const l = layoutEdit(edit, plan);
  switch (format) {
    case 'fcp7':
      return toFcp7(l);
    case 'edl':
      return toEdl(l);
    case 'fcpxml':
      return toFcpxml(l);
    case 'otio':
      return toOtio(l);
  }
}
