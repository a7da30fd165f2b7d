/** The viewer components other pages mount (issue 17 items 1-2). */
export { CompareView, type CompareTake, type CompareViewProps } from './CompareView';
export { Player, type PlayerProps } from './Player';
export { type Marks } from './timecode';
