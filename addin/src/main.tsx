// Entry of taskpane.html: decide Excel or browser, load settings, start the cell functions (in Excel), render the pane.
import { FluentProvider, Spinner, webLightTheme } from '@fluentui/react-components';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { recalculateWorkbook } from './excel/workbook';
import { startCustomFunctions } from './functions/register';
import { startHost } from './make-pane-host';

const root = createRoot(document.getElementById('root')!);
root.render(
  <FluentProvider theme={webLightTheme}>
    <Spinner label="Starting…" style={{ marginTop: 48 }} />
  </FluentProvider>,
);

startHost()
  .then(async ({ host, settingsStore }) => {
    // Inside Excel this page is also the shared runtime of the DEMAND.* cell functions: same settings, same API key.
    if (host.mode === 'excel') {
      const functions = startCustomFunctions(settingsStore);
      if (functions) {
        host.refreshCellFunctions = async () => {
          functions.invalidate();
          await recalculateWorkbook();
        };
      }
    }
    const settings = await settingsStore.load();
    document.documentElement.dataset.host = host.mode;
    root.render(
      <StrictMode>
        <App host={host} settingsStore={settingsStore} initialSettings={settings} />
      </StrictMode>,
    );
  })
  .catch((err: unknown) => {
    root.render(<pre style={{ padding: 12, whiteSpace: 'pre-wrap' }}>The pane could not start: {String(err)}</pre>);
  });
