/**
 * `config_invalid` messages list one bad field per line as `  path: message`
 * (e.g. `  match[0].app: correlation supports …`). Returns them by path, for the inputs to show.
 */
export function fieldErrors(message: string): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const line of message.split('\n')) {
    const m = /^\s+([A-Za-z0-9_.[\]]+): (.+)$/.exec(line);
    if (m?.[1] && m[2] && !(m[1] in errors)) errors[m[1]] = m[2];
  }
  return errors;
}
