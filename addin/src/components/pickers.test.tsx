// @vitest-environment jsdom
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { ProductsResponse } from '../../../shared/schemas';
import '../testing/dom';
import { fakeApi, stores } from '../testing/fixtures';
import { matchProducts, MAX_PRODUCT_OPTIONS, productLabel, StoreProductPickers } from './pickers';

const NAMES = ['Orange juice 1l', 'Apple juice 1l', 'Oat milk', 'Rye bread', 'Green tea'];

/** A store of `n` products, each named after its number (P0001 · Orange juice 1l #1, ...); every tenth without a name. */
function bigStore(storeId: string, n = 2000): ProductsResponse {
  return {
    store_id: storeId,
    products: Array.from({ length: n }, (_, i) => ({
      product_id: `P${String(i + 1).padStart(4, '0')}`,
      category: i % 2 ? 'Drinks' : 'Bakery',
      description: i % 10 === 9 ? null : `${NAMES[i % NAMES.length]} #${i + 1}`,
      records: 100,
      first_date: '2025-01-01',
      last_date: '2025-06-30',
    })),
  };
}

function Pickers({ onProduct }: { onProduct: (id: string) => void }) {
  const [storeId, setStoreId] = useState('');
  const [productId, setProductId] = useState('');
  const api = useState(() => fakeApi({ stores: async () => stores, products: async (s) => bigStore(s) }))[0];
  return (
    <StoreProductPickers
      api={api}
      storeId={storeId}
      productId={productId}
      onStoreChange={setStoreId}
      onProductChange={(id) => {
        setProductId(id);
        onProduct(id);
      }}
    />
  );
}

describe('the product picker', () => {
  it('names products by id and description, and finds them by either', () => {
    expect(productLabel({ product_id: 'P0001', description: 'Orange juice 1l' })).toBe('P0001 · Orange juice 1l');
    expect(productLabel({ product_id: 'P0001', description: null })).toBe('P0001');
    expect(productLabel({ product_id: 'P0001' })).toBe('P0001');
    const list = bigStore('S').products;
    expect(matchProducts(list, '').shown).toHaveLength(MAX_PRODUCT_OPTIONS);
    expect(matchProducts(list, '').total).toBe(2000);
    // Every word, in any case, in the id, the description or the category.
    const oat = matchProducts(list, 'OAT milk #13');
    expect(oat.shown[0].product_id).toBe('P0013');
    expect(oat.shown.every((p) => /Oat milk #13/.test(p.description ?? ''))).toBe(true);
    expect(matchProducts(list, 'P0010').shown.map((p) => p.product_id)).toEqual(['P0010']);
    expect(matchProducts(list, 'nothing like it').total).toBe(0);
    // Typing the label shown finds that product.
    expect(matchProducts(list, 'P0002 · Apple juice 1l #2').shown[0].product_id).toBe('P0002');
  });

  it('is searchable: a store of 2,000 products shows the chosen one by name and the matches of what is typed', async () => {
    const user = userEvent.setup();
    const onProduct = vi.fn();
    render(<Pickers onProduct={onProduct} />);
    const box = screen.getByRole('combobox', { name: 'Product' });
    await waitFor(() => expect(box).toHaveProperty('value', 'P0001 · Orange juice 1l #1'));
    expect(screen.getByText('2,000 products: type part of an id or a name to find one.')).toBeTruthy();

    // Clicking selects the product shown: typing replaces it.
    await user.click(box);
    await user.keyboard('rye bread #1');
    await waitFor(() => {
      const options = within(screen.getByRole('listbox')).getAllByRole('option');
      expect(options.length).toBeLessThanOrEqual(MAX_PRODUCT_OPTIONS);
      expect(options.map((o) => o.textContent).filter((t) => !/Rye bread #1/.test(t ?? ''))).toEqual([]);
    });
    expect(screen.getByText(/of \d+ matches shown: type more to narrow\.|^\d+ matches\.$/)).toBeTruthy();

    await user.keyboard('9');
    await user.click(await screen.findByRole('option', { name: /^P0019 · Rye bread #19/ }));
    expect(onProduct).toHaveBeenLastCalledWith('P0019');
    await waitFor(() => expect(box).toHaveProperty('value', 'P0019 · Rye bread #19'));

    // By keyboard: type, arrow down to the first match, Enter.
    await user.click(box);
    await user.keyboard('P0010');
    await user.keyboard('{ArrowDown}{Enter}');
    expect(onProduct).toHaveBeenLastCalledWith('P0010');
    // P0010 has no description: its id alone.
    await waitFor(() => expect(box).toHaveProperty('value', 'P0010'));

    // A search that finds nothing says so, and leaving the field keeps the chosen product.
    await user.click(box);
    await user.keyboard('caviar');
    expect(await screen.findByText('No product matches "caviar".')).toBeTruthy();
    await user.keyboard('{Escape}');
    await user.tab();
    await waitFor(() => expect(box).toHaveProperty('value', 'P0010'));
    expect(onProduct).toHaveBeenLastCalledWith('P0010');
  });
});
