import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { denyAllPermissions, type PermissionSession } from '../../src-main/hosts/electron/permissions';

type RequestHandler = Parameters<PermissionSession['setPermissionRequestHandler']>[0];

function fakeSession(): PermissionSession & { request: RequestHandler | null; check: (() => boolean) | null; device: (() => boolean) | null } {
  return {
    request: null,
    check: null,
    device: null,
    setPermissionRequestHandler(handler) {
      this.request = handler;
    },
    setPermissionCheckHandler(handler) {
      this.check = handler;
    },
    setDevicePermissionHandler(handler) {
      this.device = handler;
    },
  };
}

// Electron's permission names (Session.setPermissionRequestHandler / setPermissionCheckHandler).
const PERMISSIONS = [
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fileSystem',
  'fullscreen',
  'geolocation',
  'hid',
  'idleDetection',
  'keyboardLock',
  'local-fonts',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'notifications',
  'openExternal',
  'pointerLock',
  'serial',
  'speaker-selection',
  'storage-access',
  'top-level-storage-access',
  'usb',
  'window-management',
  'unknown',
];

function requestAnswer(handler: RequestHandler, permission: string): boolean[] {
  const answers: boolean[] = [];
  handler({}, permission, (granted) => answers.push(granted));
  return answers;
}

describe('permission policy', () => {
  it('answers every permission request with exactly one callback(false)', () => {
    const session = fakeSession();
    denyAllPermissions(session);
    const handler = session.request;
    if (!handler) throw new Error('no request handler installed');
    for (const permission of PERMISSIONS) expect(requestAnswer(handler, permission), permission).toEqual([false]);
    fc.assert(
      fc.property(fc.string(), (permission) => {
        expect(requestAnswer(handler, permission)).toEqual([false]);
      }),
    );
  });

  it('answers every permission check and device check with false', () => {
    const session = fakeSession();
    denyAllPermissions(session);
    expect(session.check?.()).toBe(false);
    expect(session.device?.()).toBe(false);
  });

  it('installs the same policy on each session it is given (default and created ones)', () => {
    const sessions = [fakeSession(), fakeSession(), fakeSession()];
    for (const s of sessions) denyAllPermissions(s);
    for (const s of sessions) {
      expect(s.request && requestAnswer(s.request, 'notifications')).toEqual([false]);
      expect(s.check?.()).toBe(false);
    }
  });
});
