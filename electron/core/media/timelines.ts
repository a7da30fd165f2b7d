/**
 * NLE hand-off: the edit as FCP7 XML (xmeml v4: Premiere, Resolve), CMX3600 EDL, FCPXML 1.9
 * (Final Cut Pro) and OpenTimelineIO JSON, all from one layout built on the plan's frames
 * (plan.ts frameLayout), so every format and the render agree to the frame. Sequence rate is
 * the target's; each file is declared with its own rate, length and audio channels. A
 * crossfade is a dissolve around the cut (floor(F/2) frames before it, the rest after).
 * Alternate takes are disabled clips on their own tracks (EDL: comments). Prompt and model go
 * in clip notes. Tested against independent readers in test/integration/media/handoff.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { basename, extname, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

import { type ClipReview, Edit, type EditPlan, type ProbeResult, TimelineFormat } from '../../../shared/media';
import { ShotlineError } from '../../../shared/result';
import { planEdit, videoFrames } from './plan';
import type { ProbeOptions } from './probe';

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

/** Frames at rate `to` for `frames` at rate `from` (same time), rounded. */
function convert(frames: number, from: Rate, to: Rate): number {
  if (from.num * to.den === to.num * from.den) return frames;
  return Math.round((frames * to.num * from.den) / (to.den * from.num));
}

interface Media {
  file: string;
  url: string;
  /** The file's own video rate and length (video stream frames). */
  rate: Rate;
  fileFrames: number;
  width: number;
  height: number;
  /** The file's real audio, null when it has none. */
  audio: { channels: number; sampleRate: number } | null;
}

function mediaOf(file: string, p: ProbeResult): Media {
  return {
    file,
    url: pathToFileURL(file).href,
    rate: rateOf(p.video?.fpsFraction ?? '30/1'),
    fileFrames: videoFrames(p),
    width: p.video?.width ?? 0,
    height: p.video?.height ?? 0,
    audio: p.audio ? { channels: p.audio.channels, sampleRate: p.audio.sampleRate } : null,
  };
}

/** A disabled alternate take: from its first frame, at its shot's place, on track `track` above V1 (1 = V2). */
export interface LaidAlternate extends Media {
  name: string;
  track: number;
  srcIn: number;
  srcOut: number;
  recIn: number;
  recOut: number;
}

export interface LaidClip extends Media {
  index: number;
  name: string;
  prompt?: string | undefined;
  model?: string | undefined;
  /** The editor's review of the take (issue 17): rating, pick or reject, note. */
  review?: ClipReview | undefined;
  alternates: LaidAlternate[];
  /** Source frames (own rate) at the cuts, out exclusive; record frames (sequence rate) of the cuts. */
  srcIn: number;
  srcOut: number;
  recIn: number;
  recOut: number;
  /** Dissolve into the next clip in record frames (0 = cut): `before` frames before the cut, `after` after it. */
  fadeOut: number;
  before: number;
  after: number;
}

export interface Layout {
  title: string;
  rate: Rate;
  width: number;
  height: number;
  clips: LaidClip[];
  totalFrames: number;
}

/**
 * The plan's frames (plan.ts frameLayout) as cuts: a dissolve of F frames puts floor(F/2)
 * before the cut and the rest after it, so the outgoing clip runs `after` frames past its
 * out point (up to its last frame used by the render) and the incoming one starts `before`
 * frames ahead of its in point (its first frame). Centred readers (xmeml `center`) find the
 * cut at floor((start + end) / 2), which is this cut.
 */
export function layoutEdit(input: Edit, plan: EditPlan): Layout {
  const edit = Edit.parse(input);
  const rate = rateOf(plan.target.fpsFraction);
  let start = 0; // record frame where this clip's first frame lands (its fade-in starts)
  const clips = edit.clips.map((c, i): LaidClip => {
    const f = plan.frames[i] as EditPlan['frames'][number];
    const media = mediaOf(resolve(c.file), plan.probes[i] as ProbeResult);
    const prev = i > 0 ? (plan.frames[i - 1]?.fade ?? 0) : 0;
    const headBefore = Math.floor(prev / 2);
    const before = Math.floor(f.fade / 2);
    const recIn = start + headBefore;
    const recOut = start + f.rec - f.fade + before;
    const src = (recFrame: number): number => f.srcIn + convert(recFrame - start, rate, media.rate);
    const laid: LaidClip = {
      ...media,
      index: i,
      name: c.name ?? basename(c.file),
      prompt: c.prompt,
      model: c.model,
      review: c.review,
      srcIn: src(recIn),
      srcOut: Math.min(f.srcOut, src(recOut)),
      recIn,
      recOut,
      fadeOut: f.fade,
      before,
      after: f.fade - before,
      alternates: (c.alternates ?? []).map((a, k): LaidAlternate => {
        const m = mediaOf(resolve(a), plan.alternates[i]?.[k] as ProbeResult);
        const recLen = Math.max(1, Math.min(recOut - recIn, convert(m.fileFrames, m.rate, rate)));
        return {
          ...m,
          name: `${basename(a)} (alternate)`,
          track: k + 1,
          srcIn: 0,
          srcOut: Math.min(m.fileFrames, convert(recLen, rate, m.rate)),
          recIn,
          recOut: recIn + recLen,
        };
      }),
    };
    start += f.rec - f.fade;
    return laid;
  });
  return {
    title: edit.title ?? 'Shotline edit',
    rate,
    width: plan.target.width,
    height: plan.target.height,
    clips,
    totalFrames: plan.totalFrames,
  };
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const note = (c: LaidClip): string =>
  [c.prompt ? `Prompt: ${c.prompt}` : '', c.model ? `Model: ${c.model}` : '', ...reviewParts(c)]
    .filter(Boolean)
    .join(' | ');

/** The review in words, one part each: "Picked" or "Rejected", "Rating: 4/5", "Note: ...". */
function reviewParts(c: LaidClip): string[] {
  const r = c.review;
  if (!r) return [];
  return [
    r.rejected ? 'Rejected' : r.picked ? 'Picked' : '',
    r.rating !== null ? `Rating: ${r.rating}/5` : '',
    r.note.trim() ? `Note: ${r.note.trim().replace(/\s*[\r\n]+\s*/g, ' ')}` : '',
  ].filter(Boolean);
}

// ---------- FCP7 XML ----------
const xmemlRate = (r: Rate): string =>
  `<rate><timebase>${r.base}</timebase><ntsc>${r.ntsc ? 'TRUE' : 'FALSE'}</ntsc></rate>`;

/**
 * xmeml v4. Each file is declared once (later uses are `<file id="…"/>`) with its own rate,
 * length, size and audio channels; clipitem in/out are frames at the file's rate, start/end
 * at the sequence's. Video and audio clipitems of a clip are linked. Dissolves are centred
 * transitionitems on V1 and matching 0 dB cross fades on A1 (the render's acrossfade is
 * linear); alternate k sits disabled on V(k+1) at its shot's place.
 */
export function toFcp7(l: Layout): string {
  const seqRate = xmemlRate(l.rate);
  const declared = new Set<string>();
  const ids = new Map<string, string>();
  const fileEl = (m: Media): string => {
    const id = ids.get(m.file) ?? `file-${ids.size + 1}`;
    ids.set(m.file, id);
    if (declared.has(m.file)) return `<file id="${id}"/>`;
    declared.add(m.file);
    const audio = m.audio
      ? `<audio><samplecharacteristics><depth>16</depth><samplerate>${m.audio.sampleRate}</samplerate></samplecharacteristics><channelcount>${m.audio.channels}</channelcount></audio>`
      : '';
    return `<file id="${id}"><name>${esc(basename(m.file))}</name><pathurl>${esc(m.url)}</pathurl>${xmemlRate(m.rate)}<duration>${m.fileFrames}</duration><media><video><samplecharacteristics>${xmemlRate(m.rate)}<width>${m.width}</width><height>${m.height}</height><pixelaspectratio>square</pixelaspectratio></samplecharacteristics></video>${audio}</media></file>`;
  };
  type Span = Media & { name: string; srcIn: number; srcOut: number; recIn: number; recOut: number };
  const item = (id: string, c: Span, enabled: boolean, media: 'video' | 'audio', extra: string): string =>
    `<clipitem id="${id}"><name>${esc(c.name)}</name><enabled>${enabled ? 'TRUE' : 'FALSE'}</enabled><duration>${c.fileFrames}</duration>${xmemlRate(c.rate)}<start>${c.recIn}</start><end>${c.recOut}</end><in>${c.srcIn}</in><out>${c.srcOut}</out>${fileEl(c)}${media === 'audio' ? '<sourcetrack><mediatype>audio</mediatype><trackindex>1</trackindex></sourcetrack>' : ''}${extra}</clipitem>`;
  const transition = (c: LaidClip, media: 'video' | 'audio'): string =>
    `<transitionitem><start>${c.recOut - c.before}</start><end>${c.recOut + c.after}</end><alignment>center</alignment>${seqRate}<effect>${
      media === 'video'
        ? '<name>Cross Dissolve</name><effectid>Cross Dissolve</effectid><effectcategory>Dissolve</effectcategory>'
        : '<name>Cross Fade (0dB)</name><effectid>KGAudioTransCrossFade0dB</effectid><effectcategory>Crossfade</effectcategory>'
    }<effecttype>transition</effecttype><mediatype>${media}</mediatype></effect></transitionitem>`;
  const v1: string[] = [];
  const a1: string[] = [];
  const alts: string[][] = [];
  let aIndex = 0;
  l.clips.forEach((c, i) => {
    const vId = `clipitem-v${c.index + 1}`;
    const aId = `clipitem-a${c.index + 1}`;
    const links = c.audio
      ? `<link><linkclipref>${vId}</linkclipref><mediatype>video</mediatype><trackindex>1</trackindex><clipindex>${c.index + 1}</clipindex></link><link><linkclipref>${aId}</linkclipref><mediatype>audio</mediatype><trackindex>1</trackindex><clipindex>${aIndex + 1}</clipindex></link>`
      : '';
    // Premiere and Resolve show master comments 1-4 as columns: prompt, model, rating, review note.
    const r = c.review;
    const notes = note(c)
      ? `<comments><mastercomment1>${esc(c.prompt ?? '')}</mastercomment1><mastercomment2>${esc(c.model ?? '')}</mastercomment2>${
          r
            ? `<mastercomment3>${r.rating !== null ? `${r.rating}/5` : ''}</mastercomment3><mastercomment4>${esc(r.note)}</mastercomment4>`
            : ''
        }</comments><logginginfo><description>${esc(note(c))}</description>${
          r ? `<lognote>${esc(r.note)}</lognote><good>${r.picked && !r.rejected ? 'TRUE' : 'FALSE'}</good>` : ''
        }</logginginfo>`
      : '';
    v1.push(item(vId, c, true, 'video', `${links}${notes}`));
    if (c.audio) {
      a1.push(item(aId, c, true, 'audio', links));
      aIndex++;
    }
    for (const a of c.alternates)
      (alts[a.track - 1] ??= []).push(item(`clipitem-alt${c.index + 1}-${a.track}`, a, false, 'video', ''));
    const next = l.clips[i + 1];
    if (c.fadeOut > 0 && next) {
      v1.push(transition(c, 'video'));
      if (c.audio && next.audio) a1.push(transition(c, 'audio'));
    }
  });
  const tracks = [v1, ...alts.map((t) => t ?? [])].map((t) => `<track>${t.join('')}</track>`).join('');
  const channels = Math.max(2, ...l.clips.map((c) => c.audio?.channels ?? 0));
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE xmeml>
<xmeml version="4"><sequence id="sequence-1"><name>${esc(l.title)}</name><duration>${l.totalFrames}</duration>${seqRate}<timecode>${seqRate}<string>00:00:00:00</string><frame>0</frame><displayformat>NDF</displayformat></timecode><media><video><format><samplecharacteristics>${seqRate}<width>${l.width}</width><height>${l.height}</height><pixelaspectratio>square</pixelaspectratio></samplecharacteristics></format>${tracks}</video><audio><numOutputChannels>${channels}</numOutputChannels><format><samplecharacteristics><depth>16</depth><samplerate>48000</samplerate></samplecharacteristics></format>${a1.length ? `<track>${a1.join('')}</track>` : ''}</audio></media></sequence></xmeml>
`;
}

// ---------- CMX3600 EDL ----------
export function timecode(frames: number, base: number): string {
  const ff = frames % base;
  const total = Math.floor(frames / base);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(total / 3600))}:${p(Math.floor(total / 60) % 60)}:${p(total % 60)}:${p(ff)}`;
}

/** EDL text must be plain ASCII: accents folded (é -> e), anything else '?'. */
export function ascii(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?');
}

/**
 * CMX3600, non-drop frame, record from 01:00:00:00, one rate (the sequence's; source
 * timecodes of a clip at another rate are its source times at that rate). An event before a
 * dissolve ends where the dissolve starts, in source and record; the dissolve is the usual
 * pair: a zero-length cut on the outgoing source at that point, then `D nnn` on the incoming
 * source from `before` frames ahead of its cut to its own end. Reels are `AX`; readers
 * relink through `* FROM CLIP:` (the path), names in `* FROM CLIP NAME:` / `* TO CLIP NAME:`.
 */
export function toEdl(l: Layout): string {
  const REC0 = 3600 * l.rate.base;
  const tc = (n: number): string => timecode(n, l.rate.base);
  // Source frames of a clip expressed at the EDL's rate (identity when the clip has that rate).
  const s = (c: LaidClip, ownFrames: number): number => convert(ownFrames, c.rate, l.rate);
  const lines = [`TITLE: ${ascii(l.title).slice(0, 70)}`, 'FCM: NON-DROP FRAME', ''];
  let ev = 0;
  // Source out = source in + record length, so the two always agree (clips at another rate
  // are conformed by time: their source timecodes are at the EDL's rate).
  const srcAt = (c: LaidClip, rec: number): number => s(c, c.srcIn) + (rec - c.recIn);
  l.clips.forEach((c, i) => {
    const prev = i > 0 ? (l.clips[i - 1] as LaidClip) : null;
    const track = c.audio ? 'AA/V' : 'V';
    const num = String(++ev).padStart(3, '0');
    const reel = 'AX'.padEnd(8);
    const endRec = c.recOut - c.before;
    if (prev && prev.fadeOut > 0) {
      const startRec = c.recIn - prev.before;
      const prevSrc = srcAt(prev, prev.recOut - prev.before);
      lines.push(
        `${num}  ${reel} ${track.padEnd(5)} C        ${tc(prevSrc)} ${tc(prevSrc)} ${tc(REC0 + startRec)} ${tc(REC0 + startRec)}`,
      );
      lines.push(
        `${num}  ${reel} ${track.padEnd(5)} D    ${String(prev.fadeOut).padStart(3, '0')} ${tc(srcAt(c, startRec))} ${tc(srcAt(c, endRec))} ${tc(REC0 + startRec)} ${tc(REC0 + endRec)}`,
      );
      lines.push(`* FROM CLIP NAME: ${ascii(prev.name)}`);
      lines.push(`* TO CLIP NAME: ${ascii(c.name)}`);
    } else {
      lines.push(
        `${num}  ${reel} ${track.padEnd(5)} C        ${tc(srcAt(c, c.recIn))} ${tc(srcAt(c, endRec))} ${tc(REC0 + c.recIn)} ${tc(REC0 + endRec)}`,
      );
      lines.push(`* FROM CLIP NAME: ${ascii(c.name)}`);
    }
    lines.push(`* FROM CLIP: ${c.file}`);
    lines.push(`* SOURCE FILE: ${c.file}`);
    const plain = [c.prompt ? `Prompt: ${c.prompt}` : '', c.model ? `Model: ${c.model}` : ''].filter(Boolean);
    if (plain.length) lines.push(`* COMMENT: ${ascii(plain.join(' | '))}`);
    for (const part of reviewParts(c)) lines.push(`* COMMENT: ${ascii(part)}`);
    for (const alt of c.alternates) lines.push(`* ALTERNATE TAKE: ${alt.file}`);
    lines.push('');
  });
  return lines.join('\n');
}

// ---------- FCPXML ----------
/**
 * FCPXML 1.9. One `<format>` per rate and size (r1 is the sequence's), one `<asset>` per file
 * with its own format, length (video frames) and audio channels. Clip `start` is source time
 * at the file's rate; offsets and durations are sequence frames. A spine transition starts
 * `before` frames ahead of the cut (FCP crossfades the clips' audio with it); alternates are
 * disabled connected clips on lane k at their shot's place.
 */
export function toFcpxml(l: Layout): string {
  const at =
    (r: Rate) =>
    (frames: number): string =>
      frames === 0 ? '0s' : `${frames * r.den}/${r.num}s`;
  const t = at(l.rate);
  const formats = new Map<string, string>();
  const formatEls: string[] = [];
  const formatFor = (r: Rate, w: number, h: number): string => {
    const key = `${r.num}/${r.den} ${w}x${h}`;
    let id = formats.get(key);
    if (!id) {
      id = `r${formats.size + 1}`;
      formats.set(key, id);
      formatEls.push(`<format id="${id}" frameDuration="${at(r)(1)}" width="${w}" height="${h}"/>`);
    }
    return id;
  };
  formatFor(l.rate, l.width, l.height);
  const assets = new Map<string, { id: string; m: Media; format: string }>();
  const assetFor = (m: Media): { id: string; format: string } => {
    let got = assets.get(m.file);
    if (!got) {
      got = { id: `a${assets.size + 1}`, m, format: formatFor(m.rate, m.width, m.height) };
      assets.set(m.file, got);
    }
    return got;
  };
  const spine: string[] = [];
  l.clips.forEach((c, i) => {
    const own = assetFor(c);
    const alts = c.alternates
      .map((alt) => {
        const a = assetFor(alt);
        return `<asset-clip ref="${a.id}" lane="${alt.track}" name="${esc(alt.name)}" offset="${at(c.rate)(c.srcIn)}" start="0s" duration="${t(alt.recOut - alt.recIn)}" format="${a.format}" enabled="0"/>`;
      })
      .join('');
    spine.push(
      `<asset-clip ref="${own.id}" name="${esc(c.name)}" offset="${t(c.recIn)}" start="${at(c.rate)(c.srcIn)}" duration="${t(c.recOut - c.recIn)}" format="${own.format}" tcFormat="NDF">${note(c) ? `<note>${esc(note(c))}</note>` : ''}${alts}${fcpxmlReview(c, at(c.rate)(c.srcIn), t(c.recOut - c.recIn))}</asset-clip>`,
    );
    if (c.fadeOut > 0 && l.clips[i + 1])
      spine.push(`<transition name="Cross Dissolve" offset="${t(c.recOut - c.before)}" duration="${t(c.fadeOut)}"/>`);
  });
  const res = [...assets.values()]
    .map(
      ({ id, m, format }) =>
        `<asset id="${id}" name="${esc(basename(m.file))}" start="0s" duration="${at(m.rate)(m.fileFrames)}" hasVideo="1" format="${format}"${m.audio ? ` hasAudio="1" audioSources="1" audioChannels="${m.audio.channels}" audioRate="${m.audio.sampleRate}"` : ''}><media-rep kind="original-media" src="${esc(m.url)}"/></asset>`,
    )
    .join('\n    ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE fcpxml>
<fcpxml version="1.9">
  <resources>
    ${formatEls.join('\n    ')}
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

/**
 * The review as Final Cut keeps it on a clip (after its anchored items, FCPXML's order):
 * a rating (favorite for the pick, reject) and the stars as a keyword, over the used range.
 */
function fcpxmlReview(c: LaidClip, start: string, duration: string): string {
  const r = c.review;
  if (!r) return '';
  const range = `start="${start}" duration="${duration}"`;
  const rating = r.rejected
    ? `<rating name="Rejected" ${range} value="reject"${r.note ? ` note="${esc(r.note)}"` : ''}/>`
    : r.picked
      ? `<rating name="Picked" ${range} value="favorite"${r.note ? ` note="${esc(r.note)}"` : ''}/>`
      : '';
  const stars = r.rating !== null ? `<keyword ${range} value="Rating ${r.rating}/5"/>` : '';
  return `${stars}${rating}`;
}

// ---------- OpenTimelineIO ----------
/**
 * OTIO JSON (Timeline.1). Source ranges start at the file's own rate; a clip at the
 * sequence's rate has its duration at that rate too, a clip at another rate has its duration
 * in sequence frames (so the track adds up exactly). Transitions: in_offset = `before`,
 * out_offset = `after`, on V1 and on A1 where both clips have audio. Alternate k is a
 * disabled clip on track V(k+1), gaps between.
 */
export function toOtio(l: Layout): string {
  const rt = (v: number, r: Rate = l.rate): object => ({ OTIO_SCHEMA: 'RationalTime.1', rate: r.fps, value: v });
  type Span = Media & { name: string; srcIn: number; srcOut: number; recIn: number; recOut: number };
  const sourceRange = (c: Span): object => {
    const same =
      convert(c.srcOut - c.srcIn, c.rate, l.rate) === c.recOut - c.recIn &&
      c.rate.num * l.rate.den === l.rate.num * c.rate.den;
    return {
      OTIO_SCHEMA: 'TimeRange.1',
      start_time: rt(c.srcIn, c.rate),
      duration: same ? rt(c.srcOut - c.srcIn, c.rate) : rt(c.recOut - c.recIn),
    };
  };
  const clip = (c: Span, enabled: boolean, meta: object): object => ({
    OTIO_SCHEMA: 'Clip.2',
    name: c.name,
    enabled,
    source_range: sourceRange(c),
    media_references: {
      DEFAULT_MEDIA: {
        OTIO_SCHEMA: 'ExternalReference.1',
        name: basename(c.file),
        target_url: c.url,
        available_range: { OTIO_SCHEMA: 'TimeRange.1', start_time: rt(0, c.rate), duration: rt(c.fileFrames, c.rate) },
        // OTIO has no field for a file's audio: its real channel count (null: no audio).
        metadata: {
          shotline: { audioChannels: c.audio?.channels ?? null, audioSampleRate: c.audio?.sampleRate ?? null },
        },
      },
    },
    active_media_reference_key: 'DEFAULT_MEDIA',
    metadata: { shotline: meta },
    effects: [],
    markers: [],
  });
  const gap = (dur: number): object => ({
    OTIO_SCHEMA: 'Gap.1',
    name: '',
    source_range: { OTIO_SCHEMA: 'TimeRange.1', start_time: rt(0), duration: rt(dur) },
    metadata: {},
    effects: [],
    markers: [],
    enabled: true,
  });
  const transition = (c: LaidClip, name: string): object => ({
    OTIO_SCHEMA: 'Transition.1',
    name,
    transition_type: 'SMPTE_Dissolve',
    in_offset: rt(c.before),
    out_offset: rt(c.after),
    metadata: {},
  });
  const meta = (c: LaidClip): object => ({
    prompt: c.prompt ?? null,
    model: c.model ?? null,
    note: note(c),
    review: c.review ?? null,
  });
  const v1: object[] = [];
  const a1: object[] = [];
  const alts: Array<{ items: object[]; pos: number }> = [];
  l.clips.forEach((c, i) => {
    const next = l.clips[i + 1];
    v1.push(clip(c, true, meta(c)));
    a1.push(c.audio ? clip(c, true, meta(c)) : gap(c.recOut - c.recIn));
    if (c.fadeOut > 0 && next) {
      v1.push(transition(c, 'Cross Dissolve'));
      if (c.audio && next.audio) a1.push(transition(c, 'Cross Fade'));
    }
    for (const a of c.alternates) {
      const track = (alts[a.track - 1] ??= { items: [], pos: 0 });
      if (a.recIn > track.pos) track.items.push(gap(a.recIn - track.pos));
      track.items.push(clip(a, false, { alternateOf: c.name }));
      track.pos = a.recOut;
    }
  });
  const track = (name: string, kind: 'Video' | 'Audio', children: object[]): object => ({
    OTIO_SCHEMA: 'Track.1',
    name,
    kind,
    children,
    source_range: null,
    metadata: {},
    effects: [],
    markers: [],
    enabled: true,
  });
  const timeline = {
    OTIO_SCHEMA: 'Timeline.1',
    name: l.title,
    global_start_time: rt(0),
    metadata: { shotline: { width: l.width, height: l.height, fps: l.rate.fps, frames: l.totalFrames } },
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      name: 'tracks',
      children: [
        track('V1', 'Video', v1),
        ...alts.map((t, k) => track(`V${k + 2} alternates`, 'Video', t?.items ?? [])),
        ...(l.clips.some((c) => c.audio) ? [track('A1', 'Audio', a1)] : []),
      ],
      source_range: null,
      metadata: {},
      effects: [],
      markers: [],
      enabled: true,
    },
  };
  return `${JSON.stringify(timeline, null, 2)}\n`;
}

export const TIMELINE_EXT: Record<TimelineFormat, string> = {
  fcp7: '.xml',
  edl: '.edl',
  fcpxml: '.fcpxml',
  otio: '.otio',
};

/**
 * `relativeTo`: a collected timeline (./collect.ts): OTIO target_url and the EDL's source
 * comments name the media relative to that folder, so the folder can move as it is; FCP7 and
 * FCPXML need absolute file URLs, and NLEs relink a moved file by its name.
 */
export function writeTimeline(
  format: TimelineFormat,
  edit: Edit,
  plan: EditPlan,
  opts: { relativeTo?: string } = {},
): string {
  const laid = layoutEdit(edit, plan);
  const l = opts.relativeTo && (format === 'otio' || format === 'edl') ? relativeLayout(laid, opts.relativeTo) : laid;
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

/** The layout with every file and URL written relative to `dir` (POSIX separators). */
function relativeLayout(l: Layout, dir: string): Layout {
  const rel = <M extends Media>(m: M): M => {
    const r = relative(dir, m.file).split(sep).join('/');
    return { ...m, file: r, url: r.split('/').map(encodeURIComponent).join('/') };
  };
  return { ...l, clips: l.clips.map((c) => ({ ...rel(c), alternates: c.alternates.map(rel) })) };
}

/** Where the timeline of a render goes: beside it, same name, the format's extension (edit.mp4 -> edit.otio). */
export function timelinePath(render: string, format: TimelineFormat): string {
  return `${render.slice(0, render.length - extname(render).length)}${TIMELINE_EXT[format]}`;
}

/**
 * Writes the edit's timelines beside its render (timelinePath) and returns their paths. Pass
 * the render's plan to skip planning; otherwise the clips are planned again (probes cached).
 */
export async function writeTimelinesBeside(
  edit: Edit,
  render: string,
  formats: readonly TimelineFormat[],
  opts: ProbeOptions & { plan?: EditPlan } = {},
): Promise<string[]> {
  if (formats.length === 0) return [];
  const plan = opts.plan ?? (await planEdit(edit, opts));
  return formats.map((f) => {
    const file = timelinePath(render, f);
    writeFileSync(file, writeTimeline(f, edit, plan));
    return file;
  });
}

/** "fcp7,edl" as formats; a clear error naming the bad one. */
export function parseTimelineFormats(list: string, flag = '--timeline'): TimelineFormat[] {
  return list
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const r = TimelineFormat.safeParse(t);
      if (!r.success)
        throw new ShotlineError({
          code: 'validation',
          message: `${flag} "${t}": expected fcp7, edl, fcpxml or otio (comma-separated)`,
        });
      return r.data;
    });
}
