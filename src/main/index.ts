import { join, resolve } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  session,
  shell,
  type IpcMainInvokeEvent,
} from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type CallOutcome } from '../shared/wire';
import { readAppVersion } from '../core/app-version';
import { databasePath, resolveDataDir } from '../core/config/data-dir';
import { acquireDataDirLock } from '../core/config/data-dir-lock';
import { tuneV8ForEngine } from '../core/engine';
import { Workstation } from '../core/workstation';
import { createIpcCallHandler } from './ipc-call-handler';

/**
 * The Electron host: a window over the same Workstation the headless host serves. It adds no
 * behaviour: calls arrive on one IPC channel, are checked for sender and shape, then dispatched.
 */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

if (!app.requestSingleInstanceLock()) {
  // A second copy would open the same database: hand over to the first and leave.
  app.quit();
} else {
  app.setName('Parallax');
  let window: BrowserWindow | undefined;
  let workstation: Workstation | undefined;

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  void app.whenReady().then(() => {
    const dataDir = resolveDataDir(flagValue('--data-dir'));
    // A headless host on the same folder would trade the same variants twice.
    let lock: ReturnType<typeof acquireDataDirLock>;
    try {
      lock = acquireDataDirLock(dataDir);
    } catch (error) {
      dialog.showErrorBox('Parallax is already running', (error as Error).message);
      app.quit();
      return;
    }
    app.on('quit', () => lock.dispose());
    tuneV8ForEngine();
    workstation = new Workstation({
      databasePath: databasePath(dataDir),
      appVersion: readAppVersion(resolve(app.getAppPath(), 'package.json')),
    });
    const ws = workstation;

    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] },
      });
    });

    // Exports are Blob downloads made by the renderer: Electron asks where to save each one (a
    // save dialog). Downloads of anything else (no blob: URL of ours) are refused.
    session.defaultSession.on('will-download', (event, item) => {
      if (!item.getURL().startsWith('blob:')) {
        event.preventDefault();
        return;
      }
      item.setSaveDialogOptions({ title: 'Export trades', defaultPath: item.getFilename() });
    });

    window = new BrowserWindow({
      width: 1400,
      height: 900,
      backgroundColor: '#0f1216',
      title: 'Parallax',
      webPreferences: {
        preload: join(__dirname, '../preload/index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
      },
    });
    const win = window;
    const rendererUrl = process.env.ELECTRON_RENDERER_URL;
    if (rendererUrl) void win.loadURL(rendererUrl);
    else void win.loadFile(join(__dirname, '../renderer/index.html'));

    // Navigation away from the app and new windows are refused; links open in the browser.
    win.webContents.on('will-navigate', (event) => event.preventDefault());
    win.webContents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });

    const handleCall = createIpcCallHandler(ws.dispatcher, (sender) => {
      const event = sender as IpcMainInvokeEvent;
      return event.sender === win.webContents && event.senderFrame === win.webContents.mainFrame;
    });
    ipcMain.handle(
      IPC_CALL_CHANNEL,
      (event: IpcMainInvokeEvent, method: unknown, params: unknown): Promise<CallOutcome> =>
        handleCall(event, method, params),
    );
    const events = ws.events.subscribe(({ event, payload }) => {
      if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event, payload);
    });
    win.on('closed', () => {
      events.dispose();
      window = undefined;
    });
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => workstation?.dispose());
}

function flagValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
