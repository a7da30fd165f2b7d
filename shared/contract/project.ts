/**
 * The studio's project surface (issue 11 items 1, 4, 5; issue 16 item 4): storyboards opened
 * through the main process's file dialog, images kept as content-addressed files in the data
 * dir, the edit of each storyboard stored in the core, and outputs written only where the
 * user chose in the save dialog. The renderer never names a path of its own choosing here.
 */
import { z } from 'zod';

import { PresetName } from '../media';
import { method } from './define';

const Id = z.string().min(1).max(200);

/** The local images of one shot after ingest: data-dir relative paths (`images/<sha>.png`). */
export const ShotImages = z.object({
  startImage: z.string().optional(),
  endImage: z.string().optional(),
});
export type ShotImages = z.infer<typeof ShotImages>;

export const OpenedStoryboard = z.object({
  /** False when the user closed the dialog: nothing else is set. */
  opened: z.boolean(),
  /** The file's name (not its folder): for the editor's title and the CSV name. */
  fileName: z.string().nullable(),
  format: z.enum(['json', 'csv']).nullable(),
  content: z.string().nullable(),
  /** Per shot (storyboard order): its local images, copied into the data dir. */
  images: z.array(ShotImages),
  /** The stored storyboard with this name, when it was imported before (its takes and edit). */
  storyboardId: z.string().nullable(),
  /** Every problem (file, row or shot, field, value, fix); empty when the file is clean. */
  messages: z.array(z.string()),
});
export type OpenedStoryboard = z.infer<typeof OpenedStoryboard>;

export const EditTrim = z
  .object({
    inS: z.number().nonnegative().optional(),
    outS: z.number().positive().optional(),
    /** Crossfade into the next clip, seconds. */
    fade: z.number().positive().max(10).optional(),
  })
  .strict();
export type EditTrim = z.infer<typeof EditTrim>;

export const EditShot = z.object({ id: z.string(), prompt: z.string(), model: z.string() });

export const StoredEdit = z.object({
  storyboardId: z.string(),
  storyboard: z.string(),
  /** The storyboard's active shots, in storyboard order. */
  shots: z.array(EditShot),
  /** Shot ids in cut order (shots missing here follow in storyboard order). */
  order: z.array(z.string()),
  /** The picked take of each shot: its local clip file. */
  picks: z.record(z.string(), z.string()),
  trims: z.record(z.string(), EditTrim),
  preset: PresetName.nullable(),
  /** The last output chosen in the save dialog (the next dialog starts there). */
  output: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type StoredEdit = z.infer<typeof StoredEdit>;

export const EditPatch = z
  .object({
    storyboardId: Id,
    order: z.array(z.string()).max(10_000).optional(),
    /** shot id -> clip file, or null to unpick. */
    picks: z.record(z.string(), z.string().min(1).nullable()).optional(),
    /** shot id -> trim, or null to clear it. */
    trims: z.record(z.string(), EditTrim.nullable()).optional(),
    preset: PresetName.nullable().optional(),
  })
  .strict();
export type EditPatch = z.input<typeof EditPatch>;

export const OutputKind = z.enum(['mp4', 'mov', 'fcpxml', 'xml', 'edl', 'otio', 'html', 'pdf']);
export type OutputKind = z.infer<typeof OutputKind>;

export const projectContract = {
  'storyboard.openFile': method(
    z.object({}).strict(),
    OpenedStoryboard,
    "Shows the system open dialog for a storyboard (JSON or CSV); relative image paths resolve against the file's folder and are copied into the data dir.",
  ),
  'storyboard.get': method(
    z.object({ storyboardId: Id }).strict(),
    z.object({ storyboardId: z.string(), name: z.string(), content: z.string() }),
    'A stored storyboard as storyboard JSON (images as data-dir paths), to open it in the editor.',
  ),
  'storyboard.addImage': method(
    z
      .object({
        name: z.string().min(1).max(255),
        base64: z
          .string()
          .min(1)
          .max(20 * 1024 * 1024),
      })
      .strict(),
    z.object({ path: z.string(), width: z.number().int(), height: z.number().int() }),
    "Keeps a picked frame or painted mask as images/<sha256>.png|jpg in the data dir (Kling's image rules checked first); registered for erasure and retention.",
  ),
  'edit.get': method(
    z.object({ storyboardId: Id }).strict(),
    StoredEdit,
    "A storyboard's edit: cut order, picked takes, trims, fades, preset and last output.",
  ),
  'edit.save': method(
    EditPatch,
    StoredEdit,
    'Changes the edit; a trim outside its clip is refused with the clip length, and nothing is stored.',
  ),
  'dialog.saveOutput': method(
    z.object({ storyboardId: Id, kind: OutputKind }).strict(),
    z.object({
      chosen: z.boolean(),
      path: z.string().nullable(),
      exists: z.boolean(),
      overwriteConfirmed: z.boolean(),
    }),
    'Shows the system save dialog (default folder and name per storyboard); only a path chosen here may be written by media.exportEdit or media.timeline.',
  ),
} as const;

export const projectEvents = {} as const;
