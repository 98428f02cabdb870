/** A new value, or a function of the old one (the shape TanStack Table hands to its callbacks). */
export type Updater<T> = T | ((old: T) => T);

export function applyUpdater<T>(updater: Updater<T>, old: T): T {
  return typeof updater === 'function' ? (updater as (old: T) => T)(old) : updater;
}
