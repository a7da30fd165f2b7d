import { useId, useRef, useState } from 'react';

import { checkImage, imageInfo } from '../../../shared/kling';
import { p } from '../i18n/project';
import { t } from '../i18n/strings';
import { storeImage, useFrameUrl } from '../lib/frames';

interface Props {
  label: string;
  value: string | undefined;
  disabledReason: string | null;
  /** Offer "@previous" (shot chaining) as a choice. */
  chainable?: boolean;
  onChange: (value: string | undefined) => void;
}

/** Reads a dropped or picked image and checks it against Kling's limits (the core checks again when it keeps it). */
async function readImage(file: File): Promise<{ base64: string; problems: string[] }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const problems = checkImage(file.name, bytes.length, imageInfo(bytes));
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { base64: btoa(bin), problems };
}

export function FrameInput({ label, value, disabledReason, chainable, onChange }: Props): React.JSX.Element {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const url = useFrameUrl(value);
  // The image becomes a file in the data dir (images/<sha256>.png); the shot holds its path.
  const take = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    const { base64, problems: p } = await readImage(file);
    setProblems(p);
    if (p.length) return;
    setBusy(true);
    try {
      onChange(await storeImage(base64, file.name));
    } catch (e) {
      setProblems([(e as Error).message]);
    } finally {
      setBusy(false);
    }
  };
  const disabled = disabledReason !== null;
  return (
    <fieldset className="frame" disabled={disabled}>
      <legend>{label}</legend>
      {disabledReason && <p className="why">{disabledReason}</p>}
      <div
        className={`drop${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (!disabled) void take(e.dataTransfer.files[0]);
        }}
      >
        {value &&
          value !== '@previous' &&
          (url ? <img src={url} alt={label} data-testid="frame-thumbnail" /> : <code>{value}</code>)}
        {busy && <span className="hint">{p.imageUploading}</span>}
        {value === '@previous' && <span className="chain">{t.storyboard.chainPrevious}</span>}
        {!value && <span className="hint">{t.storyboard.dropOrPick}</span>}
      </div>
      <div className="row">
        <input
          ref={input}
          id={id}
          type="file"
          accept="image/png,image/jpeg"
          className="visually-hidden"
          aria-label={`${label} file`}
          onChange={(e) => {
            void take(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <button type="button" onClick={() => input.current?.click()}>
          Choose file…
        </button>
        {chainable && (
          <label>
            <input
              type="checkbox"
              checked={value === '@previous'}
              onChange={(e) => onChange(e.target.checked ? '@previous' : undefined)}
            />{' '}
            {t.storyboard.chainPrevious}
          </label>
        )}
        {value && (
          <button type="button" onClick={() => onChange(undefined)}>
            {t.storyboard.clear}
          </button>
        )}
      </div>
      {problems.length > 0 && (
        <ul role="alert" className="error">
          {problems.map((x) => (
            <li key={x}>{x}</li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
