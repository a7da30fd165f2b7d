/**
 * Strings of the Queue page's question before Retry or Cancel on a shot of a scene (issue 13
 * item 1): both act on the whole scene take (electron/core/queue/store.ts, jobsFor).
 */
export const qs = {
  retryTitle: (scene: string) => `Retry scene ${scene}?`,
  retryBody: (n: number, units: string) =>
    `This retries the whole scene (${n} shots, ${units} u): the shots of a scene are one Kling task, so every shot is made again and the scene is charged as a whole.`,
  retryYes: (units: string) => `Retry the scene (${units} u)`,
  retryNo: 'Cancel',
  cancelTitle: (scene: string) => `Cancel scene ${scene}?`,
  cancelBody: (n: number) =>
    `This cancels the whole scene (${n} shots): the shots of a scene are one Kling task, so none of them is made.`,
  cancelYes: (n: number) => `Cancel the scene (${n} shots)`,
  cancelNo: 'Keep the scene',
} as const;
