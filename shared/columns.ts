// Column recognition rules shared by the service (authoritative, on upload) and the add-in (pre-detection shown to
// the user): one list, so the pane never proposes a mapping the service would read differently.
import type { CanonicalField } from './schemas';

/** Case and punctuation never distinguish columns: "Store ID", "store_id" and "StoreId" are one name. */
export const normaliseHeader = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');

// Order matters twice: fields are resolved in CANONICAL_FIELDS order, and within a field the first synonym
// present wins, so specific names ("unitssold") must precede loose ones ("units", "move").
export const HEADER_SYNONYMS: Record<CanonicalField, readonly string[]> = {
  date: [
    'date', 'day', 'salesdate', 'saledate', 'orderdate', 'invoicedate', 'transactiondate', 'txndate', 'receiptdate',
    'weekstart', 'weekstarting', 'weekbeginning', 'weekstartdate', 'calendardate',
    'weekending', 'weekendingdate', 'weekenddate', 'week', 'period', 'datetime', 'timestamp',
    'datum', 'verkaufsdatum', 'fecha',
  ],
  store_id: [
    'storeid', 'store', 'storenumber', 'storeno', 'storecode', 'storenbr', 'shop', 'shopid', 'location', 'locationid',
    'branch', 'branchid', 'outlet', 'outletid', 'site', 'siteid', 'filiale', 'tienda', 'sucursal', 'magasin',
  ],
  product_id: [
    'productid', 'itemid', 'sku', 'skuid', 'stockcode', 'product', 'item', 'productcode', 'itemcode', 'itemnumber',
    'itemno', 'productnumber', 'article', 'articleid', 'articlenumber', 'upc', 'ean', 'gtin', 'barcode',
    'artikel', 'artikelnummer', 'artikelnr', 'producto', 'produit', 'articulo', 'brand',
  ],
  units_sold: [
    'unitssold', 'units', 'quantity', 'qty', 'quantitysold', 'qtysold', 'unitsales', 'salesunits', 'salesqty',
    'salesquantity', 'soldunits', 'soldqty', 'menge', 'anzahl', 'cantidad', 'quantit', 'move',
  ],
  inventory_level: ['inventorylevel', 'inventory', 'stocklevel', 'stockonhand', 'onhand', 'soh', 'stock', 'onhandqty'],
  units_ordered: ['unitsordered', 'ordered', 'orderqty', 'orderquantity', 'orderedqty', 'orderedunits'],
  price: ['price', 'unitprice', 'sellprice', 'sellingprice', 'saleprice', 'salesprice', 'retailprice', 'priceperunit', 'preis', 'precio', 'prix'],
  discount: ['discount', 'discountpct', 'discountpercent', 'discountrate', 'markdown', 'markdownpct'],
  promotion: ['promotion', 'promo', 'holidaypromotion', 'onpromotion', 'promoflag', 'ispromo', 'onpromo', 'deal'],
  category: ['category', 'productcategory', 'itemcategory', 'catid', 'cat', 'department', 'dept', 'deptid', 'family'],
  region: ['region', 'state', 'stateid', 'area', 'zone', 'territory'],
  unit_cost: ['unitcost', 'cost', 'costprice', 'purchaseprice', 'costperunit'],
};

export const REQUIRED_FIELDS: readonly CanonicalField[] = ['date', 'product_id', 'units_sold'];
