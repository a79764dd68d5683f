/** Moved to `shared/`, where the window's zip inspection reads names the same way. */
export { decodeCp437 } from '../../shared/cp437.js';
