export { DEFAULT_MONITOR_THRESHOLDS, evaluateSignals, monitorThresholds, median } from './signals.js';
export type { CountBy, MonitorReadings, MonitorThresholds, Signal, SignalId, SignalVerdict } from './signals.js';
export { readMonitorFile, readMonitorReadings } from './read.js';
