export { LocalTarget } from './local.js';
export { SshTarget } from './ssh.js';
export type { SshTargetOptions } from './ssh.js';
export { shellQuote, shellJoin } from './quote.js';
export { TargetUnreachableError } from './types.js';
export type { Target, RunOptions, RunResult, FileStat, FileType, WriteOptions } from './types.js';
