import {
  Badge,
  Button,
  FluentProvider,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Overflow,
  OverflowItem,
  Tab,
  TabList,
  Text,
  useIsOverflowItemVisible,
  useOverflowMenu,
  webLightTheme,
} from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { createApiClient, type ApiClient } from './api/client';
import { DatesContext } from './components/dates';
import type { PaneHost } from './pane-host';
import { BulkPage } from './pages/BulkPage';
import { DashboardPage } from './pages/DashboardPage';
import { DataPage } from './pages/DataPage';
import { ForecastPage } from './pages/ForecastPage';
import { SettingsPage } from './pages/SettingsPage';
import { SmartPage } from './pages/SmartPage';
import { dateFormatter } from './results/dates';
import type { Settings, SettingsStore } from './settings/settings';

const PAGES = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'bulk', label: 'Bulk' },
  { id: 'smart', label: 'Smart' },
  { id: 'forecast', label: 'Forecast' },
  { id: 'data', label: 'Data & Training' },
  { id: 'settings', label: 'Settings' },
] as const;
type PageId = (typeof PAGES)[number]['id'];

interface AppProps {
  host: PaneHost;
  settingsStore: SettingsStore;
  initialSettings: Settings;
  initialPage?: PageId;
  makeClient?: (settings: Settings) => ApiClient;
}

export function App({ host, settingsStore, initialSettings, initialPage, makeClient = createApiClient }: AppProps) {
  const [settings, setSettings] = useState(initialSettings);
  const [page, setPage] = useState<PageId>(initialPage ?? pageFromHash() ?? 'dashboard');
  const api = useMemo(() => makeClient(settings), [makeClient, settings]);
  const dates = useMemo(() => dateFormatter(host.locale), [host.locale]);
  const go = (id: PageId) => {
    setPage(id);
    if (typeof history !== 'undefined') history.replaceState(null, '', `#${id}`);
  };

  return (
    <FluentProvider theme={webLightTheme} style={{ minHeight: '100%' }}>
      <header style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '8px 12px 0' }}>
        <img src="./assets/icon-32.png" alt="" width={20} height={20} />
        <Text weight="semibold">Demand Forecasting</Text>
        <Badge appearance="outline" color={host.mode === 'excel' ? 'success' : 'informative'} title={host.detail}>
          {host.mode === 'excel' ? 'Excel' : 'Browser'}
        </Badge>
      </header>
      <nav>
        {/* One line of tabs: those that do not fit the pane's width go into a "More" menu; the current page stays. */}
        <Overflow minimumVisible={2}>
          <TabList
            size="small"
            selectedValue={page}
            onTabSelect={(_, d) => go(d.value as PageId)}
            style={{ flexWrap: 'nowrap', padding: '0 4px', minWidth: 0 }}
            aria-label="Pages"
          >
            {PAGES.map((p) => (
              <OverflowItem key={p.id} id={p.id} priority={p.id === page ? 2 : 1}>
                <Tab value={p.id}>{p.label}</Tab>
              </OverflowItem>
            ))}
            <MorePages onSelect={go} />
          </TabList>
        </Overflow>
      </nav>
      <main key={`${settings.serviceUrl}|${settings.apiKey}`}>
        {/* Every page writes dates in the host's locale: the workbook's inside Excel, the browser's outside it. */}
        <DatesContext.Provider value={dates}>
          {page === 'dashboard' ? <DashboardPage api={api} /> : null}
          {page === 'bulk' ? <BulkPage api={api} host={host} /> : null}
          {page === 'smart' ? <SmartPage api={api} /> : null}
          {page === 'forecast' ? <ForecastPage api={api} host={host} /> : null}
          {page === 'data' ? <DataPage api={api} host={host} /> : null}
          {page === 'settings' ? (
            <SettingsPage
              settings={settings}
              storedIn={settingsStore.where}
              mode={host.mode}
              hostDetail={host.detail}
              makeClient={makeClient}
              onSave={async (next) => {
                await settingsStore.save(next);
                setSettings(next);
              }}
            />
          ) : null}
        </DatesContext.Provider>
      </main>
    </FluentProvider>
  );
}

/** The pages whose tabs did not fit, as a menu at the end of the tab list (shown only when some did not). */
function MorePages({ onSelect }: { onSelect: (id: PageId) => void }) {
  const { ref, isOverflowing, overflowCount } = useOverflowMenu<HTMLButtonElement>();
  if (!isOverflowing) return null;
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <Button
          ref={ref}
          appearance="transparent"
          size="small"
          role="tab"
          aria-selected={false}
          aria-label={`More pages (${overflowCount})`}
          style={{ minWidth: 0, flexShrink: 0, whiteSpace: 'nowrap' }}
        >
          More <span aria-hidden="true">▾</span>
        </Button>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {PAGES.map((p) => (
            <MorePage key={p.id} id={p.id} label={p.label} onSelect={onSelect} />
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

function MorePage({ id, label, onSelect }: { id: PageId; label: string; onSelect: (id: PageId) => void }) {
  if (useIsOverflowItemVisible(id)) return null;
  return <MenuItem onClick={() => onSelect(id)}>{label}</MenuItem>;
}

function pageFromHash(): PageId | undefined {
  if (typeof location === 'undefined') return undefined;
  const id = location.hash.replace(/^#/, '');
  return PAGES.find((p) => p.id === id)?.id;
}
