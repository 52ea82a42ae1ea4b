/** The contract's error body (shared/API.md): every 4xx and 5xx answers with this shape. */
export interface ErrorResponse {
  statusCode: number;
  error: string;
  /** Stable UPPER_SNAKE identifier clients can switch on. */
  code: string;
  message: string;
  details?: { field: string; message: string }[];
  /** Responses may carry more (e.g. `explanation` of a refused business rule). */
  [extra: string]: unknown;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function errorResponse(
  statusCode: number,
  code: string,
  message: string,
  details?: ErrorResponse['details'],
): ErrorResponse {
  return {
    statusCode,
    error: REASONS[statusCode] ?? 'Error',
    code,
    message,
    ...(details?.length ? { details } : {}),
  };
}
