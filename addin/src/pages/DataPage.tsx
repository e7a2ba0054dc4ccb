// Data & Training: upload sales, the events calendar, train, and choose among stored model versions.
import { Text } from '@fluentui/react-components';
import { useState } from 'react';
import { useLoad } from '../components/hooks';
import { useStyles } from '../components/styles';
import type { PaneHost } from '../pane-host';
import { CalendarSection } from './data/CalendarSection';
import { ModelsSection } from './data/ModelsSection';
import { TrainSection } from './data/TrainSection';
import type { DataApi } from './data/types';
import { UploadSection } from './data/UploadSection';

interface DataPageProps {
  api: DataApi;
  host: PaneHost;
  /** How often to poll a training job (ms). */
  pollMs?: number;
}

export function DataPage({ api, host, pollMs = 1000 }: DataPageProps) {
  const s = useStyles();
  const models = useLoad(() => api.models(), [api]);
  // New data may bring new stores: the training form reloads its store list after each upload.
  const [uploads, setUploads] = useState(0);
  // DEMAND.* cells in the workbook show the new model or data at once; a failed recalculation is not the page's error.
  const refreshCells = () => void host.refreshCellFunctions?.().catch(() => {});
  const modelsChanged = () => {
    models.reload();
    refreshCells();
  };
  return (
    <section className={s.page} aria-label="Data & Training">
      <Text weight="semibold" size={400}>
        Data &amp; training
      </Text>
      <UploadSection
        api={api}
        host={host}
        onUploaded={() => {
          setUploads((n) => n + 1);
          refreshCells();
        }}
      />
      <CalendarSection api={api} workbook={host.workbook} />
      <TrainSection key={uploads} api={api} pollMs={pollMs} onTrained={modelsChanged} />
      <ModelsSection api={api} models={models.data?.models} loading={models.loading} error={models.error} onChanged={modelsChanged} />
    </section>
  );
}
