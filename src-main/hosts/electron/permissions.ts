// Electron grants every permission (camera, notifications, clipboard, geolocation, HID…) unless a
// handler says otherwise. Driftline's UI needs none, so every session refuses them all: requests,
// synchronous checks and device access.

/** The part of an Electron `Session` the permission policy sets (structural, for tests). */
export interface PermissionSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
}

export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
