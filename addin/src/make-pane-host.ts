// Builds the PaneHost the pages use: inside Excel from the Excel adapter, in a browser from the file adapter.
import {
  connectOffice,
  listDataSources,
  officeRuntimeStorage,
  previewSource,
  readSource,
  writeResultSheets,
  type HostInfo,
} from './excel/workbook';
import { saveFile } from './files/download';
import type { FilePreview, PaneHost } from './pane-host';
import { browserSettingsStore, officeSettingsStore, type SettingsStore } from './settings/settings';

/** A picked file is read with the file adapter (SheetJS, loaded on demand) in Excel and in a browser alike. */
async function previewFile(file: File): Promise<FilePreview> {
  const { previewWorkbookFile } = await import('./files/workbookFile');
  return previewWorkbookFile(await file.arrayBuffer(), file.name);
}

/** The browser's language, where Office does not say the workbook's. */
const browserLocale = () => (typeof navigator === 'undefined' ? 'en-US' : navigator.language);

function excelHost(info: HostInfo): PaneHost {
  return {
    mode: 'excel',
    detail: info.detail,
    locale: info.locale ?? browserLocale(),
    async writeSheets(specs) {
      const names = await writeResultSheets(specs);
      return `Written to ${names.map((n) => `"${n}"`).join(' and ')}.`;
    },
    saveFile: (data, fileName) => saveFile(data, fileName),
    previewFile,
    workbook: {
      listSources: listDataSources,
      preview: (source) => previewSource(source),
      read: (source, onRows, onProgress) => readSource(source, { onRows, onProgress }),
    },
  };
}

function browserHost(info: HostInfo): PaneHost {
  return {
    mode: 'browser',
    detail: info.detail,
    locale: browserLocale(),
    async writeSheets(specs, fileStem) {
      const { buildWorkbook } = await import('./files/workbookFile');
      saveFile(buildWorkbook(specs), `${fileStem}.xlsx`);
      return `Downloaded ${fileStem}.xlsx with ${specs.map((s) => `"${s.sheetName}"`).join(' and ')}.`;
    },
    saveFile: (data, fileName) => saveFile(data, fileName),
    previewFile,
  };
}

export async function startHost(): Promise<{ host: PaneHost; settingsStore: SettingsStore }> {
  const info = await connectOffice();
  if (info.kind === 'excel') {
    const storage = officeRuntimeStorage();
    return { host: excelHost(info), settingsStore: storage ? officeSettingsStore(storage) : browserSettingsStore() };
  }
  return { host: browserHost(info), settingsStore: browserSettingsStore() };
}
