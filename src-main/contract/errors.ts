/** Error codes an admin can act on. Every failure that crosses the API boundary carries one. */
export const ERROR_CODES = [
  'config_invalid',
  'config_not_found',
  'secret_missing',
  'network_error',
  'timeout',
  'tls_untrusted',
  'tls_error',
  'auth_rejected',
  'forbidden',
  'not_found',
  'rate_limited',
  'server_error',
  'http_error',
  'redirect_refused',
  'response_too_large',
  'unexpected_content_type',
  'invalid_json',
  'invalid_response',
  'scim_pagination_broken',
  'okta_pagination_broken',
  'csv_invalid',
  'file_unreadable',
  'cancelled',
  'run_interrupted',
  'run_in_progress',
  'db_incompatible',
  'db_corrupt',
  'invalid_argument',
  'write_not_applied',
  'confirmation_required',
  'unknown_method',
  'internal',
] as const;

/** A machine-readable error code; see ERROR_CODES. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The shape every error takes when it travels as a value. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}
