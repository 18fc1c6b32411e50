export { labUp, labDown, labList, sweepLab, sshCommandFor } from './lab.js';
export type { LabHost, LabHostStatus, LabUpOptions } from './lab.js';
export { ensureImage } from './image.js';
export type { EnsureImageOptions, LabImage } from './image.js';
export { requireRoot, LabNeedsRootError } from './root.js';
