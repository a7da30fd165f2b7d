import { CAMERA_AXES, CAMERA_TYPES, LIMITS, type CameraAxis, type CameraSpec } from '../../../shared/kling';
import { t } from '../i18n/strings';
import { cameraSpec, type Shot } from '../state/storyboard';

interface Props {
  camera: Shot['camera'];
  disabledReason: string | null;
  allowedTypes: readonly string[];
  onChange: (camera: Shot['camera']) => void;
}

/** CSS transform at the end of the move, for the looping preview (values scaled to a few px/deg). */
function previewTransform(spec: CameraSpec | undefined): string {
  if (!spec) return 'none';
  const c = spec.config ?? {};
  switch (spec.type) {
    case 'down_back':
      return 'translateY(-10px) scale(0.75)';
    case 'forward_up':
      return 'translateY(10px) scale(1.3)';
    case 'right_turn_forward':
      return 'rotateY(-25deg) scale(1.2)';
    case 'left_turn_forward':
      return 'rotateY(25deg) scale(1.2)';
    default:
      return [
        `translateX(${-(c.horizontal ?? 0) * 2}px)`,
        `translateY(${(c.vertical ?? 0) * 2}px)`,
        `rotateY(${(c.pan ?? 0) * 3}deg)`,
        `rotateX(${(c.tilt ?? 0) * 3}deg)`,
        `rotate(${(c.roll ?? 0) * 3}deg)`,
        `scale(${1 - (c.zoom ?? 0) * 0.04})`,
      ].join(' ');
  }
}

export function CameraControl({ camera, disabledReason, allowedTypes, onChange }: Props): React.JSX.Element {
  const spec = cameraSpec(camera);
  const type = spec?.type ?? '';
  const config = spec?.config ?? {};
  const setAxis = (axis: CameraAxis, value: number): void => {
    // simple: one non-zero axis; moving one axis zeroes the others.
    onChange({ type: 'simple', config: { [axis]: value } });
  };
  return (
    <fieldset className="camera" disabled={disabledReason !== null} aria-describedby="camera-why">
      <legend>{t.storyboard.camera}</legend>
      {disabledReason && (
        <p id="camera-why" className="why">
          {disabledReason}
        </p>
      )}
      <div className="row">
        <label>
          Type{' '}
          <select
            aria-label="Camera type"
            value={type}
            onChange={(e) => {
              const v = e.target.value;
              onChange(v === '' ? undefined : v === 'simple' ? { type: 'simple', config: { zoom: -5 } } : { type: v as CameraSpec['type'] });
            }}
          >
            <option value="">{t.storyboard.cameraNone}</option>
            {CAMERA_TYPES.map((ct) => (
              <option key={ct} value={ct} disabled={!allowedTypes.includes(ct)} title={allowedTypes.includes(ct) ? undefined : 'not accepted for this shot'}>
                {ct}
              </option>
            ))}
          </select>
        </label>
        <div className="cam-preview" aria-hidden="true">
          <div className="cam-frame" key={JSON.stringify(spec)} style={{ ['--cam-end' as string]: previewTransform(spec) }}>
            <span />
          </div>
        </div>
      </div>
      {type === 'simple' && (
        <div className="axes">
          <p className="hint">{t.storyboard.cameraSimpleHint}</p>
          {CAMERA_AXES.map((axis) => (
            <label key={axis}>
              {axis}
              <input
                type="range"
                aria-label={`Camera ${axis}`}
                min={LIMITS.cameraValue[0]}
                max={LIMITS.cameraValue[1]}
                step={1}
                value={config[axis] ?? 0}
                onChange={(e) => setAxis(axis, Number(e.target.value))}
              />
              <output>{config[axis] ?? 0}</output>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}
