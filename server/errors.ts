export const SERVICE_ERROR_CODES = ['BAD_REQUEST', 'NOT_FOUND', 'CONFLICT', 'UNAUTHORIZED', 'FORBIDDEN', 'TOO_MANY_REQUESTS', 'PRECONDITION_FAILED'] as const;
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];

export type FieldError = { path: string; message: string };

/** Services throw this; routers never build transport errors themselves (mapped once in server/trpc/init.ts). */
export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  readonly fieldErrors: FieldError[];
  constructor(code: ServiceErrorCode, message: string, fieldErrors: FieldError[] = []) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
}

export const notFound = (what: string) => new ServiceError('NOT_FOUND', `${what} not found`);
