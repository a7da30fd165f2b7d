/**
 * The pieces of issue 14 that are pure: which errors mean "Kling or the network is not there",
 * when a run of failures is an outage and how the probe interval grows, how a sleep is found
 * and kept out of awake time, and the sentence people read.
 */
import { describe, expect, it } from 'vitest';

import { AwakeClock } from '../../../electron/core/engine/clock';
import { classifyError, describeOutage, inWords, ProviderHealth } from '../../../electron/core/engine/outage';
import { KlingError } from '../../../electron/core/kling/errors';

describe('classifyError', () => {
  it('tells outages, throttling and everything else apart', () => {
    expect(classifyError(KlingError.business(5001, 503, null, null))).toBe('server');
    expect(classifyError(KlingError.business(5000, 500, null, null))).toBe('server');
    expect(classifyError(KlingError.business(1302, 429, null, null))).toBe('throttle');
    expect(classifyError(KlingError.business(1303, 429, null, null))).toBeNull();
    expect(classifyError(KlingError.business(1102, 429, null, null))).toBeNull();
    expect(
      classifyError(
        KlingError.transport('network', 'could not reach api.klingai.com (getaddrinfo ENOTFOUND api.klingai.com)'),
      ),
    ).toBe('network');
    expect(
      classifyError(KlingError.transport('network', 'could not reach 127.0.0.1:9 (connect ECONNREFUSED 127.0.0.1:9)')),
    ).toBe('unreachable');
    expect(classifyError(KlingError.transport('timeout', 'no answer within 30000 ms'))).toBe('unreachable');
    expect(classifyError(KlingError.transport('protocol', 'HTTP 502 and no Kling JSON', 502))).toBe('server');
    expect(classifyError(KlingError.transport('protocol', 'a task Shotline cannot read', 200))).toBeNull();
    expect(classifyError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('unreachable');
    expect(classifyError(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }))).toBeNull();
  });
});

describe('ProviderHealth', () => {
  it('goes down after a run of failures, probes at a doubling capped interval, and comes back on an answer', () => {
    let t = 0;
    const h = new ProviderHealth({
      threshold: 3,
      firstProbeMs: 10_000,
      maxProbeMs: 60_000,
      now: () => t,
      wall: () => 1_000_000 + t,
    });
    expect(h.failure('server', '5001')).toBe('up');
    expect(h.suspect).toBe(true);
    h.success();
    expect(h.suspect).toBe(false);
    expect(h.failure('server', '5001')).toBe('up');
    expect(h.failure('unreachable', 'refused')).toBe('up');
    t = 500;
    expect(h.failure('server', '5001')).toBe('down');
    expect(h.isUp).toBe(false);
    expect(h.snapshot().since).toBe(1_000_000);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      waits.push(h.probeDueIn());
      t += h.probeDueIn();
      h.probeFailed('server', '5001');
    }
    expect(waits).toEqual([10_000, 20_000, 40_000, 60_000, 60_000]);
    expect(h.snapshot().probes).toBe(5);
    expect(h.success()).toBe(true);
    expect(h.isUp).toBe(true);
  });

  it('after a wake it probes at once; a failed check starts an outage, an answer carries on', () => {
    const t = 0;
    const h = new ProviderHealth({ now: () => t });
    h.wake();
    expect(h.current).toBe('checking');
    expect(h.probeDueIn()).toBe(0);
    expect(h.success()).toBe(true);
    h.wake();
    expect(h.probeFailed('network', 'ENOTFOUND')).toBe(true);
    expect(h.current).toBe('down');
    expect(h.snapshot().kind).toBe('network');
  });
});

describe('AwakeClock', () => {
  it('finds a sleep where the wall clock jumped and one where a tick came late, and keeps both out of awake time', () => {
    let wall = 0;
    let mono = 0;
    const gaps: number[] = [];
    const c = new AwakeClock({
      wall: () => wall,
      mono: () => mono,
      tickMs: 5000,
      minGapMs: 15_000,
      onWake: (g) => gaps.push(g),
    });
    wall += 5000;
    mono += 5000;
    expect(c.check()).toBe(0);
    // Linux/macOS: the monotonic clock stood still for an hour of sleep.
    wall += 3_600_000 + 5000;
    mono += 5000;
    expect(c.check()).toBe(3_600_000);
    expect(c.now()).toBe(10_000);
    // A clock that counted the sleep (or a stopped process): the tick is 40 s late.
    wall += 45_000;
    mono += 45_000;
    expect(c.check()).toBe(40_000);
    expect(c.now()).toBe(15_000);
    expect(gaps).toEqual([3_600_000, 40_000]);
    expect(c.wakes).toBe(2);
  });
});

describe('describeOutage', () => {
  it('says what is happening and when the next try is', () => {
    const since = new Date(2026, 10, 26, 2, 14).getTime();
    expect(
      describeOutage({ provider: 'Kling', kind: 'unreachable', since, nextTryAt: since + 100_000 }, since + 60_000),
    ).toBe('Kling unreachable since 02:14; next try in 40 s');
    expect(describeOutage({ provider: 'Kling', kind: 'network', since, nextTryAt: null })).toBe(
      'network down since 02:14',
    );
    expect(describeOutage({ provider: 'Kling', kind: 'server', since, nextTryAt: null })).toBe(
      'Kling unavailable (server errors) since 02:14',
    );
    expect(inWords(300_000)).toBe('in 5 min');
  });
});
