export * from './clusters';
export * from './runs';
export * from './auth';
export * from './etcd';
