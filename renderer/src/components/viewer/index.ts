/** The viewer components other pages mount (issue 17 items 1-2). */
export { Player, type PlayerProps } from './Player';
export { type Marks } from './timecode';
