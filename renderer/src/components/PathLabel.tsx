/**
 * A file path shown where it must be (issue 17 item 4): elided in the middle to fit its box,
 * the full path on hover (title), and "Show in folder" (app.showInFolder). The fit is measured
 * on the real text (scrollWidth against clientWidth), again whenever the box is resized.
 */
import { useLayoutEffect, useRef, useState } from 'react';

import { paths } from '../i18n/paths';
import { call } from '../lib/api';
import { baseName, elideMiddle } from '../lib/paths';

/** The longest middle-elided form of `full` that fits `el`, found by bisection on its length. */
function fit(el: HTMLElement, full: string): void {
  el.textContent = full;
  if (el.scrollWidth <= el.clientWidth) return;
  let lo = 0;
  let hi = full.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    el.textContent = elideMiddle(full, mid);
    if (el.scrollWidth <= el.clientWidth) lo = mid;
    else hi = mid - 1;
  }
  el.textContent = elideMiddle(full, lo);
}

/** Fits `text` into the element the ref points at, now and on every resize. */
export function useElided(text: string): React.RefObject<HTMLSpanElement | null> {
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    fit(el, text);
    let width = el.clientWidth;
    const ro = new ResizeObserver(() => {
      if (el.clientWidth === width) return;
      width = el.clientWidth;
      fit(el, text);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [text]);
  return ref;
}

/** "Show in folder" for one file; what the system opened, or why not, beside it. */
export function ShowInFolder({ path, name }: { path: string; name?: string }): React.JSX.Element {
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const show = (): void =>
    void call('app.showInFolder', { path }).then(
      () => setSaid({ ok: true, text: paths.shownIn(baseName(path)) }),
      (e: Error) => setSaid({ ok: false, text: e.message }),
    );
  return (
    <>
      <button
        type="button"
        className="reveal"
        aria-label={paths.showInFolderOf(name ?? baseName(path))}
        title={paths.showInFolder}
        onClick={show}
      >
        {paths.showInFolder}
      </button>
      {said && (
        <span role={said.ok ? 'status' : 'alert'} className={said.ok ? 'muted said' : 'error said'}>
          {said.text}
        </span>
      )}
    </>
  );
}

export interface PathLabelProps {
  path: string | null | undefined;
  /** Offer "Show in folder" (default true; off for paths that are not files, e.g. a tool on PATH). */
  reveal?: boolean;
  testId?: string;
}

export function PathLabel({ path, reveal = true, testId }: PathLabelProps): React.JSX.Element {
  const ref = useElided(path ?? '');
  if (!path)
    return (
      <span className="path-label" data-testid={testId}>
        {paths.none}
      </span>
    );
  return (
    <span className="path-label" data-testid={testId} data-path={path}>
      <span ref={ref} className="path-text" title={path} />
      {reveal && <ShowInFolder path={path} />}
    </span>
  );
}

/**
 * A message from the core that names a path (e.g. a start-up check): the text around it as is,
 * the path itself as a PathLabel.
 */
export function WithPath({ text, path }: { text: string; path?: string | undefined }): React.JSX.Element {
  const at = path ? text.indexOf(path) : -1;
  if (!path || at < 0) return <>{text}</>;
  return (
    <span className="with-path">
      {text.slice(0, at)}
      <PathLabel path={path} reveal={false} />
      {text.slice(at + path.length)}
    </span>
  );
}
