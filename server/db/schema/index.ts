export * from './clusters';
export * from './runs';
