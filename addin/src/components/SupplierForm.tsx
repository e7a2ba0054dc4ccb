// "Supplier" in a product's details: its lead time and how much that varies, pack size, minimum order, unit cost and
// supplier, saved for the product (PUT /products/{store}/{product}); the next plan uses them. Only the fields filled
// in are sent: the others stay as they are. Takes a callback; the page talks to the service.
import { Button, Field, Input, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { SupplierAttributes, SupplierAttributesRequest } from '../../../shared/schemas';
import { ErrorMessage, Loading, Notice } from './feedback';
import { useAction } from './hooks';
import { useStyles } from './styles';

type NumberField = 'lead_time_days' | 'lead_time_sd_days' | 'pack_size' | 'min_order_qty' | 'unit_cost';
const FIELDS: { key: NumberField; label: string; check: (x: number) => string | null }[] = [
  {
    key: 'lead_time_days',
    label: 'Lead time (days)',
    check: (x) => (Number.isInteger(x) && x >= 0 && x <= 365 ? null : 'Whole days, 0 to 365'),
  },
  { key: 'lead_time_sd_days', label: 'Give or take (days)', check: (x) => (x >= 0 && x <= 365 ? null : 'Days, 0 to 365') },
  { key: 'pack_size', label: 'Pack size', check: (x) => (x > 0 ? null : 'More than 0') },
  { key: 'min_order_qty', label: 'Minimum order', check: (x) => (x >= 0 ? null : '0 or more') },
  { key: 'unit_cost', label: 'Unit cost', check: (x) => (x >= 0 ? null : '0 or more') },
];

/** The filled-in fields as a request, or the first problem. */
export function supplierRequest(
  texts: Record<string, string>,
): { ok: true; request: SupplierAttributesRequest } | { ok: false; field: string; message: string } {
  const request: SupplierAttributesRequest = {};
  for (const f of FIELDS) {
    const text = (texts[f.key] ?? '').trim();
    if (text === '') continue;
    const x = Number(text.replace(',', '.'));
    const problem = Number.isFinite(x) ? f.check(x) : 'A number';
    if (problem) return { ok: false, field: f.key, message: problem };
    request[f.key] = x;
  }
  const supplier = (texts.supplier_id ?? '').trim();
  if (supplier !== '') request.supplier_id = supplier;
  if (Object.keys(request).length === 0) return { ok: false, field: '', message: 'Fill in what to change' };
  return { ok: true, request };
}

export function SupplierForm({ onSave }: { onSave: (request: SupplierAttributesRequest) => Promise<SupplierAttributes> }) {
  const s = useStyles();
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<SupplierAttributes | null>(null);
  const checked = supplierRequest(texts);
  const save = useAction(async () => {
    setSaved(null);
    if (checked.ok) setSaved(await onSave(checked.request));
  });
  const set = (key: string) => (_: unknown, d: { value: string }) => setTexts((t) => ({ ...t, [key]: d.value }));
  const problem = (key: string) => (!checked.ok && checked.field === key ? checked.message : undefined);
  return (
    <div className={s.section} role="group" aria-label="Supplier">
      <Text weight="semibold">Supplier</Text>
      <Text size={200}>Saved for this product: every plan uses them unless you give others. Fields left empty stay as they are.</Text>
      <div className={s.fields}>
        {FIELDS.map((f) => (
          <Field key={f.key} label={f.label} validationState={problem(f.key) ? 'error' : 'none'} validationMessage={problem(f.key)}>
            <Input value={texts[f.key] ?? ''} onChange={set(f.key)} aria-label={f.label} />
          </Field>
        ))}
        <Field label="Supplier">
          <Input value={texts.supplier_id ?? ''} onChange={set('supplier_id')} aria-label="Supplier" />
        </Field>
      </div>
      <div className={s.row}>
        <Button size="small" onClick={() => void save.run()} disabled={!checked.ok || save.busy}>
          Save supplier details
        </Button>
      </div>
      {save.busy ? <Loading label="Saving…" /> : null}
      <ErrorMessage error={save.error} title="Could not save the supplier details" />
      {saved ? <Notice>Saved. Run the predictions again to plan with them.</Notice> : null}
    </div>
  );
}
