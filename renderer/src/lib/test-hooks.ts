/**
 * Test-only hooks, installed only when the page runs over the loopback test bridge (never in
 * the app): the Queue DOM-bound test and the renderer benchmark load synthetic jobs with them.
 */
import { fakeJob, jobStore, syntheticJobs } from '../state/jobs';

declare global {
  interface Window {
    __shotlineTest?: { loadJobs(n: number): void; upsertJobs(jobs: Parameters<typeof fakeJob>[0][]): void };
  }
}

export function installTestHooks(): void {
  if (window.shotline || !new URLSearchParams(window.location.search).get('bridge')) return;
  window.__shotlineTest = {
    loadJobs: (n) => jobStore.replaceAll(syntheticJobs(n)),
    upsertJobs: (jobs) => jobStore.upsert(jobs.map(fakeJob)),
  };
}
