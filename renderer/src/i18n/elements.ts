/**
 * Strings of the Elements page, the elements picker and the scene takes (issue 13 items 2, 5).
 * English first, like renderer/src/i18n/strings.ts.
 */
export const el = {
  page: {
    title: 'Elements',
    intro:
      'Kling elements keep the same character or product across shots. Each is created once per account at Kling; shots name it as @id.',
    empty:
      'No elements yet. Create one below from a frontal image and 1-3 reference images, or list them in a storyboard\'s "elements".',
    loading: 'Loading the library…',
    grid: 'Element library',
  },
  card: {
    alias: (id: string) => `@${id}`,
    klingId: 'Kling id',
    noKlingId: 'not created yet',
    account: 'Account',
    usedBy: 'Used by',
    unused: 'no shot names it',
    subject: 'Subject',
    source: { images: 'from images', video: 'from a video', existing: 'existing at Kling' } as Record<string, string>,
    delete: (id: string) => `Delete @${id} at Kling`,
    noThumb: 'no image',
  },
  state: {
    queued: 'queued',
    submitting: 'sending to Kling',
    running: 'creating at Kling',
    ready: 'ready',
    failed: 'failed',
    blocked: 'blocked',
    deleting: 'deleting at Kling',
    deleted: 'deleted',
  } as Record<string, string>,
  confirm: {
    title: (id: string) => `Delete @${id} at Kling?`,
    body: (account: string, shots: number) =>
      `This deletes the element in the Kling account ${account}, not only here: Kling cannot restore it, and ${
        shots === 0 ? 'no shot names it' : `${shots} shot(s) that name it will be refused until it is created again`
      }.`,
    yes: 'Delete at Kling',
    no: 'Keep it',
  },
  form: {
    title: 'New element',
    id: 'Alias (@id)',
    idHint: 'letters, digits and "_", starting with a letter (at most 32); prompts name it as @id',
    idBad: (v: string) =>
      `"${v}" cannot be an alias: use letters, digits and "_", starting with a letter, at most 32 characters (e.g. mara or red_car).`,
    idTaken: (v: string) =>
      `@${v} is already in the library in this account: pick another alias, or delete that one first.`,
    name: 'Name',
    nameHint: 'Kling keeps at most 20 characters; default: the alias',
    description: 'Description',
    descriptionHint: 'at most 100 characters; default: the name',
    counter: (n: number, max: number) => `${n}/${max}`,
    tooLong: (field: string, n: number, max: number) =>
      `${field} has ${n} characters; Kling takes at most ${max}: shorten it.`,
    frontal: 'Frontal image',
    reference: (n: number) => `Reference image ${n}`,
    needFrontal: 'Add a frontal image (PNG or JPEG, the subject facing the camera).',
    needReference: 'Add at least one reference image (another angle of the same subject).',
    subject: 'Data subject (optional)',
    subjectHint: '"erase --subject" deletes the element at Kling too',
    account: 'Account',
    sandbox: 'no key profile: the built-in simulator',
    simulator: 'SIMULATOR',
    create: 'Create at Kling',
    creating: 'Queueing…',
    created: (id: string) => `@${id} is queued for creation at Kling; its state updates here.`,
    reused: (id: string) => `@${id} with these images already exists in this account: reused, not created twice.`,
  },
  picker: {
    legend: 'Elements',
    count: (n: number, max: number) => `${n} of at most ${max}`,
    none: 'The library is empty: create elements on the Elements page.',
    inStoryboard: 'in this storyboard',
    openPage: 'Open the Elements page',
    toggle: (id: string, on: boolean) => (on ? `Remove @${id} from this shot` : `Add @${id} to this shot`),
    full: (max: number) => `At most ${max} element(s) here: remove one first.`,
    over: (n: number, max: number, why: string) =>
      `${n} elements picked, ${why} takes at most ${max}: remove ${n - max}.`,
    deleted: (id: string) =>
      `@${id} was deleted at Kling: create it again on the Elements page, or remove it from this shot.`,
    missing: (id: string) =>
      `@${id} is not in the library: create it on the Elements page or define it in the storyboard's "elements".`,
    notReady: (id: string, state: string) => `@${id} is ${state}`,
    sceneOthers: (scene: string, ids: string[]) =>
      `Scene ${scene}'s other shots send ${ids.map((i) => `@${i}`).join(' ')}: one request carries them all, counted once.`,
    namePrompt: (ids: string[]) => `Name them in the prompt: ${ids.map((i) => `@${i}`).join(' ')}`,
  },
  limit: {
    none: (label: string) =>
      `${label} takes no elements: use kling-3.0 (with a start frame) or kling-3.0-omni for the same character across shots.`,
    needStart:
      'Kling 3.0 sends elements only with image to video: add a start frame, or use kling-3.0-omni (no frame needed).',
    o1EndFrame:
      'Kling O1 takes no elements with a start and an end frame: remove the end frame, or use kling-3.0-omni.',
    withStart: (label: string) => `${label} with a start frame`,
    withMotion: (label: string) => `${label} with a motion reference`,
    plain: (label: string) => label,
    inScene: (scene: string, label: string) => `scene ${scene} together, ${label}`,
    needSceneStart: (scene: string, first: string) =>
      `Kling 3.0 sends elements only with image to video: scene ${scene} needs a start frame on its first shot (${first}), or use kling-3.0-omni.`,
  },
  takes: {
    scene: (name: string) => `Scene ${name}`,
    shared: (n: number) => `one task for ${n} shots`,
    sharedTask: (id: string) => `Kling task ${id}`,
    rerollScene: 'Re-roll scene…',
    playScene: (scene: string) => `Play scene ${scene}`,
    confirmTitle: (scene: string) => `Re-roll scene ${scene}?`,
    confirmBody: (n: number, units: string) =>
      `This re-rolls the whole scene (${n} shots, ${units} u): one new task, one charge, a new take of every shot.`,
    yes: (units: string) => `Re-roll the scene (${units} u)`,
    no: 'Cancel',
    queued: (scene: string, take: number) => `Scene ${scene}: take ${take} queued for all its shots.`,
  },
} as const;
