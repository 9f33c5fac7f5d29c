export * from './types';
export * from './hosts';
export * from './files';
export * from './systemd';
export * from './commands';
export * from './os-release';
export * from './add-nodes';
export * from './restart';
