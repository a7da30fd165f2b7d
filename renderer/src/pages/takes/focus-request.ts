/**
 * "Show this shot's takes" from another page (the morning report links each shot to its takes):
 * the caller asks for a shot and then navigates to Takes; the Takes page takes the request once
 * and puts its cursor on that shot's row.
 */
let wanted: string | null = null;

export const takeFocusRequest = {
  ask(shotId: string): void {
    wanted = shotId;
  },
  /** The shot asked for, once (null when none). */
  take(): string | null {
    const w = wanted;
    wanted = null;
    return w;
  },
};
