import type { AppServices } from '../../app-services';
import type { Db } from '../../db/client';
import type { FieldError } from '../../errors';
import { ServiceError } from '../../errors';

/** What cluster and host services need from the container; the full AppServices fits. */
export type Deps = Pick<AppServices, 'db' | 'secretBox'>;
/** Who acts, for the audit log. */
export type Actor = { actor: string; address?: string | null };
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export function invalidSpec(errors: FieldError[]): ServiceError {
  const n = errors.length;
  return new ServiceError('BAD_REQUEST', `the cluster spec has ${n} error${n === 1 ? '' : 's'}`, errors);
}

export function nameTaken(name: string): ServiceError {
  return new ServiceError('CONFLICT', `a cluster named "${name}" already exists`, [{ path: 'name', message: 'another cluster has this name' }]);
}

export function staleVersion(expected: number, actual: number): ServiceError {
  return new ServiceError('CONFLICT', `the cluster was changed by someone else (version ${actual}, you edited version ${expected}); reload it and apply your change again`);
}
