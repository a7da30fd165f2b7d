import { useId, useRef, useState } from 'react';

import { checkImage, imageInfo } from '../../../shared/kling';
import { t } from '../i18n/strings';

interface Props {
  label: string;
  value: string | undefined;
  disabledReason: string | null;
  /** Offer "@previous" (shot chaining) as a choice. */
  chainable?: boolean;
  onChange: (value: string | undefined) => void;
}

/** Reads a dropped or picked image, checks it against Kling's limits, returns a data: URL. */
async function readImage(file: File): Promise<{ url: string; problems: string[] }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const problems = checkImage(file.name, bytes.length, imageInfo(bytes));
  const url = await new Promise<string>((ok, ko) => {
    const r = new FileReader();
    r.onload = () => ok(typeof r.result === 'string' ? r.result : '');
    r.onerror = () => ko(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
  return { url, problems };
}

export function FrameInput({ label, value, disabledReason, chainable, onChange }: Props): React.JSX.Element {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [over, setOver] = useState(false);
  const take = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    const { url, problems: p } = await readImage(file);
    setProblems(p);
    if (p.length === 0) onChange(url);
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
        {value && value !== '@previous' && (value.startsWith('data:') ? <img src={value} alt={label} /> : <code>{value}</code>)}
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
            <input type="checkbox" checked={value === '@previous'} onChange={(e) => onChange(e.target.checked ? '@previous' : undefined)} />{' '}
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
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
