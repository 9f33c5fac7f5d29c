import type { AppServices } from '../../app-services';

export type RunDeps = Pick<AppServices, 'db' | 'runner'>;
