export { importKubeKey, formatIssue, type ImportResult, type MissingSecret, type SourceIssue } from './kubekey-import';
export { exportKubeKey } from './kubekey-export';
export { expandHostRange } from './host-range';
