import { hostname, userInfo } from 'node:os';

/** The OS account acting, as recorded in the audit log ("alice@laptop"). */
export function currentOperator(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return `${user}@${hostname()}`;
}
